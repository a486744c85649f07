#pragma once

/// Sessions as the manager schedules and launches them.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/sec.hpp>

#include "messages/ids.hpp"
#include "messages/inspect.hpp"
#include "messages/kernel_types.hpp"
#include "messages/status_types.hpp"

namespace baikal {

/// One kernel of a scheduled session and the agent it was bound to.
struct kernel_binding {
  kernel_id id;
  agent_id agent;
  std::string agent_addr;
  std::string image; ///< canonical reference, a key of the launch's image configs
  std::string architecture;
  cluster_role role = cluster_role::main;
  uint32_t cluster_idx = 1;
  uint32_t local_rank = 0;
  std::string cluster_hostname;
  resource_slots slots;
  uint32_t uid = 1000;
  uint32_t main_gid = 1000;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_binding& x) {
  // The role goes as its name: the store keeps scheduled sessions in this format, and the
  // sessions it already holds must read back.
  auto role = to_string(x.role);
  auto load = [&x, &role]() -> caf::error {
    auto parsed = cluster_role_from(role);
    if (!parsed)
      return caf::make_error(caf::sec::invalid_argument, "no cluster role " + role);
    x.role = *parsed;
    return caf::none;
  };
  return f(caf::meta::type_name("baikal::kernel_binding"), x.id, x.agent, x.agent_addr, x.image,
           x.architecture, role, x.cluster_idx, x.local_rank, x.cluster_hostname, x.slots, x.uid,
           x.main_gid, caf::meta::load_callback(load));
}

/// A session ready to be launched: its kernels are bound to agents.
struct scheduled_session {
  session_id id;
  std::string name;
  user_id user_uuid;
  std::string access_key;
  std::string project_id;
  session_type type = session_type::interactive;
  cluster_mode mode = cluster_mode::single_node;
  uint32_t cluster_size = 1;
  network_type network = network_type::volatile_;
  std::string network_id; ///< for PERSISTENT networks
  std::map<std::string, std::string> environ;
  std::vector<mount_spec> mounts;
  std::vector<uint16_t> preopen_ports;
  double idle_timeout = 0;
  std::string scaling_group;
  std::vector<kernel_binding> kernels;
  /// A batch session's command and its limit in seconds (0: none). Left out of inspect() on
  /// purpose: the store keeps them in a table of their own (batch_sessions), so that the spec
  /// blobs of stores written before batch sessions still read; they never leave the manager.
  std::string startup_command;
  double batch_timeout = 0;
};

BAIKAL_INSPECT("", scheduled_session, x.id, x.name, x.user_uuid, x.access_key, x.project_id, x.type,
               x.mode, x.cluster_size, x.network, x.network_id, x.environ, x.mounts,
               x.preopen_ports, x.idle_timeout, x.scaling_group, x.kernels)

} // namespace baikal
