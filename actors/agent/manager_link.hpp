#pragma once

/// The agent's link to the manager. It joins the manager's agent registry by address (plain or
/// TLS), registers the agent (id, scaling group, capacity, hwinfo, and the agent's handle the
/// manager calls back through the same connection), then beats at the interval the registry
/// asks for. It is also the agent's event sink: events go to the manager's event hub while
/// joined and wait in a bounded buffer while not, so a short outage loses nothing.
///
/// Protocol, in order:
///  1. main spawns the link, gives it to spawn_agent as the event sink, recovers kernels, then
///     calls start_manager_link with the agent's handle (an agent joins only after recovery);
///  2. the link asks the agent for gather_hwinfo (capacity), connects to the manager without
///     blocking (connect_remote, bounded by connect_timeout) and sends register_agent; with
///     TLS it first asks the registry for a challenge and sends, with the registration, its
///     certificate and its signature over that challenge and its id (agent_identity.hpp);
///  3. joined: heartbeats every heartbeat_interval_ms, buffered events flushed in order; a
///     heartbeat also goes at once when the agent's health changes (set_link_health), so the
///     manager stops (or resumes) placing kernels there without waiting for the next beat;
///  4. any failure (connect error, refused registration, heartbeat error or timeout, known=false
///     in a heartbeat reply, the registry going down) drops the connection state, and the link
///     tries again after backoff_delay (reconnect_backoff.hpp), forever, until it is told to exit
///     or its agent ends (the link monitors the agent from step 2 on and stops with it: a dead
///     agent must not be registered again; baikal-agent then exits, see serve.hpp).
///     known=false means the manager restarted: the link registers again on the same connection.
/// Every attempt carries an epoch number; timers of an abandoned attempt find a newer epoch and
/// do nothing (CAF 0.17 cannot cancel a delayed message).
///
/// Events are numbered as they come (numbered_event: this process's stream, 1, 2, ...). To a hub
/// that takes numbered events (the manager's says so when the agent registers) the link sends
/// them numbered and keeps each until a heartbeat sent after it is answered: over one
/// connection that proves it arrived. When the connection breaks, the events not proven go
/// back ahead of the buffered ones and are sent again after the next registration; the hub
/// applies each number once, so an event the old connection did deliver is not applied twice.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/agent/followed_manager.hpp"
#include "actors/agent/reconnect_backoff.hpp"
#include "messages/agent_interface.hpp"
#include "messages/kernel_types.hpp"
#include "messages/manager_link_interface.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/cluster/tls_settings.hpp"

namespace baikal {

struct manager_link_settings {
  agent_id id;
  std::string scaling_group = "default";
  /// The agent registries of the managers, tried in turn: with managers that share a store,
  /// only the leader listens, and the link finds it (a standby does not answer).
  std::vector<host_port> managers{{"127.0.0.1", 6100}};
  cluster::tls_settings tls; ///< empty: plain TCP
  /// With TLS: proves to the registry that this node is agent `id` (its certificate's key).
  std::shared_ptr<const cluster::identity_signer> identity;
  resource_slots capacity; ///< replaces probed slots of the same name
  backoff_policy backoff;
  std::chrono::milliseconds connect_timeout{10000}; ///< connect and registration, each
  size_t buffer_capacity = 10000;                   ///< events kept while disconnected
  /// Told the manager node the link joins, for the agent to refuse others (may be null).
  std::shared_ptr<followed_manager> followed;
};

/// Spawns a link that waits for start_manager_link; events it receives before are buffered.
manager_link_actor spawn_manager_link(caf::actor_system& sys, manager_link_settings settings);

/// Starts joining the manager on behalf of `agent`, which serves on `addr` ("host:port", shown
/// to operators; empty when it does not listen).
void start_manager_link(const manager_link_actor& link, const agent_actor& agent, std::string addr);

/// The agent's scaling group is now `group` (update_scaling_group): every registration from
/// now on, after a reconnect or a manager restart, carries it instead of the one from start-up.
void set_link_scaling_group(const manager_link_actor& link, std::string group);

/// The agent can run kernels (`unhealthy` empty) or cannot, and why (its Docker engine does
/// not answer): every heartbeat and registration from now on says so.
void set_link_health(const manager_link_actor& link, std::string unhealthy);

} // namespace baikal
