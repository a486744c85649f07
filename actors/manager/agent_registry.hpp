#pragma once

/// The agent registry: where agents join the manager.
///
///  - register_agent: the agent is ALIVE with the handle it sent (a rejoining agent replaces its
///    old handle); the answer names the event hub and the heartbeat interval. The handle is
///    monitored: when it goes down, the agent is LOST. With identity checks (TLS between
///    nodes), the agent first asks get_registration_challenge and its registration must carry
///    a proof over that challenge with a certificate naming its id (agent_identity.hpp);
///    anything else is refused with permission_denied and the reason, and changes nothing.
///  - agent_heartbeat: refreshes the agent; a LOST agent is ALIVE again. An agent the registry
///    has no handle for (the manager restarted) is answered `known = false` and registers again.
///    A change of `unhealthy` (the agent's Docker engine went away or came back) is handed on
///    at once: the front places no kernels on an unhealthy agent.
///  - every heartbeat interval (every second when the interval is longer), an ALIVE agent
///    silent for `missed_heartbeats_until_lost` intervals is marked LOST.
/// Each change is stored (upsert_agent), handed to the launcher (update_agent_directory) and to
/// the front (scheduling, /v1/agents). When an agent becomes ALIVE, the registry asks the front
/// which kernels the manager believes it runs and reconciles the agent (sync_kernel_registry):
/// the agent destroys kernels the manager does not know and reports those it lost as terminated.

#include <chrono>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/manager/store_actor.hpp"
#include "messages/manager_internal_interface.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/config/manager_timeouts.hpp"

namespace baikal {

struct registry_settings {
  std::chrono::milliseconds heartbeat_interval{2000};
  int missed_heartbeats_until_lost = 3;
  /// Checks which agent a registering node is (with TLS between nodes); none: every
  /// registration is taken at its word (plain TCP, a network the operator trusts).
  std::shared_ptr<const cluster::identity_verifier> identity;
  manager_timeouts timeouts; ///< see manager_settings
};

struct registry_deps {
  store_actor store;
  launcher_actor launcher;
  event_sink_actor events;
  /// Agents the store knew before a restart: listed as LOST until they register again.
  std::vector<agent_record> known;
};

/// Whether an agent last heard of at `last_seen` is overdue at `now`.
bool is_overdue(std::chrono::steady_clock::time_point last_seen,
                std::chrono::steady_clock::time_point now, const registry_settings& cfg);

registry_actor spawn_agent_registry(caf::actor_system& sys, registry_settings cfg,
                                    registry_deps deps);

} // namespace baikal
