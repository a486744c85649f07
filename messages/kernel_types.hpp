#pragma once

/// Kernel-related value types: resource slots, mounts, cluster info and the kernel creation
/// config the launcher hands to an agent (every field SC-LA-014 lists).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "messages/ids.hpp"
#include "messages/image_types.hpp"
#include "messages/inspect.hpp"
#include "messages/status_types.hpp"

namespace baikal {

/// Resource slots by name: "cpu" (cores, may be fractional), "mem" (bytes), accelerators.
using resource_slots = std::map<std::string, double>;

enum class cluster_mode : uint8_t { single_node = 1, multi_node };
enum class network_type : uint8_t { volatile_ = 1, persistent, host };
enum class session_type : uint8_t { interactive = 1, batch, inference };

std::string to_string(cluster_mode x);
std::string to_string(network_type x);
std::string to_string(session_type x);

/// Why a kernel's lifecycle changed, as the reference system spells it.
namespace lifecycle_reason {
constexpr const char* already_terminated = "already-terminated";
constexpr const char* not_found_in_manager = "not-found-in-manager";
constexpr const char* failed_to_create = "failed-to-create";
constexpr const char* failed_to_start = "failed-to-start";
constexpr const char* restarting = "restarting";
constexpr const char* restart_timeout = "restart-timeout";
constexpr const char* exec_timeout = "exec-timeout";
constexpr const char* agent_termination = "agent-termination";
constexpr const char* user_requested = "user-requested";
constexpr const char* self_terminated = "self-terminated";
/// The kernel's container stopped or vanished without the agent asking (the Docker engine
/// restarted, the container was killed or removed behind Baikal's back).
constexpr const char* container_lost = "container-lost";
/// The session had no activity for its idle_timeout and the manager ended it.
constexpr const char* idle_timeout = "idle-timeout";
/// A batch session's startup command ended (or ran past its batch_timeout).
constexpr const char* batch_finished = "batch-finished";
} // namespace lifecycle_reason

/// A host path bound into the container.
struct mount_spec {
  std::string source;
  std::string target;
  std::string mode = "rw"; ///< "rw" or "ro"
};

BAIKAL_INSPECT("", mount_spec, x.source, x.target, x.mode)

/// How the kernels of a session reach each other.
struct network_config {
  std::string mode;         ///< "bridge", "host", "overlay", ...
  std::string network_name; ///< Docker network to attach to; empty for the default
  std::map<std::string, std::string> options;
};

BAIKAL_INSPECT("", network_config, x.mode, x.network_name, x.options)

/// The cluster's SSH keypair: PEM private key, OpenSSH public key.
struct ssh_keypair {
  std::string private_key;
  std::string public_key;
};

BAIKAL_INSPECT("", ssh_keypair, x.private_key, x.public_key)

/// Where a kernel's SSH daemon is reachable in HOST network mode.
struct host_port {
  std::string host;
  uint16_t port = 0;
};

BAIKAL_INSPECT("", host_port, x.host, x.port)

/// What every kernel of a session knows of its cluster.
struct cluster_info {
  cluster_mode mode = cluster_mode::single_node;
  uint32_t size = 1;
  std::map<std::string, uint32_t> replicas; ///< kernels per cluster role
  network_config network;
  ssh_keypair ssh;
  /// Keyed by the kernel's cluster hostname ("main1", "sub1", ...).
  std::map<std::string, host_port> ssh_port_mapping;
};

BAIKAL_INSPECT("", cluster_info, x.mode, x.size, x.replicas, x.network, x.ssh, x.ssh_port_mapping)

/// Everything an agent needs to create one kernel.
struct kernel_creation_config {
  image_config image;
  kernel_id kernel;
  session_id session;
  std::string owner_user_id;
  std::string owner_project_id;
  std::string network_id;
  session_type type = session_type::interactive;
  cluster_mode mode = cluster_mode::single_node;
  cluster_role role = cluster_role::main;
  uint32_t cluster_idx = 1;
  uint32_t local_rank = 0;
  std::string cluster_hostname; ///< "main1", "sub1", ...
  uint32_t uid = 1000;
  uint32_t main_gid = 1000;
  std::vector<uint32_t> supplementary_gids;
  resource_slots slots;
  std::map<std::string, std::string> resource_opts;
  std::map<std::string, std::string> environ;
  std::vector<mount_spec> mounts;
  std::string package_directory;
  double idle_timeout = 0; ///< seconds, 0 for none
  std::string bootstrap_script;
  std::string startup_command;
  std::vector<uint16_t> preopen_ports;
  std::vector<uint16_t> allocated_host_ports;
  std::string agent_addr;
  std::string scaling_group;
};

BAIKAL_INSPECT("", kernel_creation_config, x.image, x.kernel, x.session, x.owner_user_id,
               x.owner_project_id, x.network_id, x.type, x.mode, x.role, x.cluster_idx,
               x.local_rank, x.cluster_hostname, x.uid, x.main_gid, x.supplementary_gids, x.slots,
               x.resource_opts, x.environ, x.mounts, x.package_directory, x.idle_timeout,
               x.bootstrap_script, x.startup_command, x.preopen_ports, x.allocated_host_ports,
               x.agent_addr, x.scaling_group)

/// A service a kernel exposes ("httpd" on a container port, mapped to a host port).
struct service_port {
  std::string name;
  std::string protocol; ///< "http", "tcp", ...
  std::vector<uint16_t> container_ports;
  std::vector<uint16_t> host_ports;
};

BAIKAL_INSPECT("", service_port, x.name, x.protocol, x.container_ports, x.host_ports)

/// What create_kernels and restart_kernel answer for each created kernel.
struct kernel_info {
  kernel_id id;
  session_id session;
  agent_id agent;
  std::string host;
  std::string container_id;
  std::string scaling_group;
  resource_slots slots;
  std::vector<service_port> service_ports;
  std::map<std::string, std::string> attached_devices;
  /// The storage folders bound into the kernel, sources as the agent resolved them: the file
  /// operations see /home/work/NAME as the container does.
  std::vector<mount_spec> mounts;
};

BAIKAL_INSPECT("", kernel_info, x.id, x.session, x.agent, x.host, x.container_id, x.scaling_group,
               x.slots, x.service_ports, x.attached_devices, x.mounts)

} // namespace baikal
