#pragma once

/// What the manager's store keeps: agents, sessions with their kernels, the status history and
/// the error info (`status_data`) of each session. Plain values, inspectable so the store actor
/// can answer them.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/optional.hpp>

#include "messages/inspect.hpp"
#include "messages/session_types.hpp"
#include "messages/status_types.hpp"

namespace baikal {

struct agent_record {
  agent_id id;
  std::string addr;
  agent_status status = agent_status::alive;
  std::string scaling_group;
  resource_slots capacity;
  int64_t last_heartbeat_ms = 0;
  /// Empty while the agent can run kernels; else why it cannot (its Docker engine does not
  /// answer), as its heartbeats say. Not stored: an agent tells it again when it registers.
  std::string unhealthy;
};

BAIKAL_INSPECT("", agent_record, x.id, x.addr, x.status, x.scaling_group, x.capacity,
               x.last_heartbeat_ms, x.unhealthy)

struct kernel_record {
  kernel_id id;
  agent_id agent;
  cluster_role role = cluster_role::main;
  uint32_t cluster_idx = 1;
  std::string cluster_hostname;
  kernel_status status = kernel_status::pending;
  std::string container_id;
};

BAIKAL_INSPECT("", kernel_record, x.id, x.agent, x.role, x.cluster_idx, x.cluster_hostname,
               x.status, x.container_id)

/// Which of a user's sessions a listing shows: those in `status` (any unless `by_status`),
/// after the session `after` in creation order (from the first when empty), at most `limit`
/// (all when 0).
struct session_page {
  bool by_status = false;
  session_status status = session_status::pending;
  session_id after;
  uint32_t limit = 0;
};

BAIKAL_INSPECT("", session_page, x.by_status, x.status, x.after, x.limit)

/// One transition of a session's state machine and why it happened.
struct status_change {
  session_status status = session_status::pending;
  std::string reason;
  int64_t at_ms = 0;
};

BAIKAL_INSPECT("", status_change, x.status, x.reason, x.at_ms)

struct session_record {
  scheduled_session spec; ///< as the scheduler bound it, kept whole for a restart
  session_status status = session_status::pending;
  std::string status_data;   ///< error info JSON, empty when there is none
  std::string status_reason; ///< the reason of the last transition (the history's last row)
  std::string network_id;    ///< the network the launcher set up, empty for the default one
  int64_t created_at_ms = 0;
  std::vector<kernel_record> kernels;
  /// The exit code of an ended batch session's startup command (none before, or when it
  /// timed out or failed).
  caf::optional<int32_t> batch_exit_code;
  /// The services of the main kernel (from its image), as its agent reported them when it
  /// started; empty before.
  std::vector<service_port> service_ports;
};

BAIKAL_INSPECT("", session_record, x.spec, x.status, x.status_data, x.status_reason, x.network_id,
               x.created_at_ms, x.kernels, x.batch_exit_code, x.service_ports)

} // namespace baikal
