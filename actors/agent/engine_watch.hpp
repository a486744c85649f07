#pragma once

/// The engine watch: tells its agent when the Docker engine goes away and when it answers
/// again, and when a container of the agent's kernels stops.
///
/// Protocol:
///  1. spawned by the agent, it pings the engine (GET /_ping); an answer sends the agent
///     `engine_answers`, opens the engine's event stream (container die, oom and destroy
///     events of this agent's label) and pings again every `check_interval`;
///  2. the stream ending (the engine closed it: it stopped, or restarted), or a ping failing or
///     timing out, makes it ping at once; a failed ping sends `engine_lost` (once per outage)
///     and pings again after a backoff (backoff_delay, capped at a few seconds);
///  3. the first answer after an outage sends `engine_answers` again: the agent then compares
///     its kernels with the engine's containers (kernel_reconcile.hpp) and reports itself
///     healthy. A stream that ends while the engine answers is opened again, and the agent
///     told too (events may have been missed);
///  4. each stream event of a kernel's container goes to the agent as `kernel_container_event`.
/// Timers carry a number; a newer timer makes the older ones do nothing (CAF 0.17 cannot
/// cancel a delayed message). The watch ends when its agent does.

#include <chrono>
#include <optional>

#include <caf/fwd.hpp>

#include "actors/agent/reconnect_backoff.hpp"
#include "messages/docker_interface.hpp"
#include "messages/engine_health.hpp"
#include "runtime/docker/system.hpp"

namespace baikal {

struct engine_watch_settings {
  agent_id agent;
  std::chrono::milliseconds check_interval{5000}; ///< between pings while the engine answers
  std::chrono::milliseconds ping_timeout{5000};
  /// Between pings while it does not: short, so an engine that is back is seen within seconds.
  backoff_policy backoff{std::chrono::milliseconds{200}, std::chrono::milliseconds{2000}, 2.0, 0.2};
};

/// Spawns a watch that reports to `agent` and ends with it.
void spawn_engine_watch(caf::actor_system& sys, engine_watch_settings settings, docker_actor docker,
                        engine_observer_actor agent);

/// The request for the event stream the watch follows: container events of `agent`'s kernels.
docker_call kernel_container_events(const agent_id& agent);

/// The kernel event a stream event stands for: a kernel's container (labelled with a kernel
/// id) that died, was killed for lack of memory or was removed; none for anything else.
std::optional<kernel_container_event> kernel_event_of(const docker::docker_event& e);

} // namespace baikal
