#pragma once

/// The event hub: the event sink every agent reports to. Each event goes
///  - to the session actor it concerns: kernel events by their session id, image pull events to
///    every session waiting for that image on that agent (hub::attach_session) until a pull of
///    it finishes or fails there;
///  - to every subscriber (api::subscribe_events), until the subscriber terminates;
///  - numbered into the replay log, and to every feed (api::follow_events) that selects it;
///  - into the pull and kernel event counters (/metrics).
/// Session actors and subscribers are monitored and forgotten when they end. A parked session
/// (hub::detach_session) has no route: its kernel_started and kernel_terminated events go to the
/// front, which spawns its actor again.

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/manager/event_log.hpp"
#include "actors/manager/manager_metrics.hpp"
#include "messages/manager_internal_interface.hpp"

namespace baikal {

/// The key of one image pull on one agent, as hub::attach_session names the pulls it routes.
inline std::string pull_key(const agent_id& agent, const std::string& image) {
  return agent + '\n' + image;
}

/// The hub keeps the newest `replay_capacity` events for GET /v1/events replays and numbers
/// them from `first_id` (actors/manager/event_log.hpp).
event_hub_actor spawn_event_hub(caf::actor_system& sys, std::shared_ptr<event_counters> counters,
                                size_t replay_capacity, uint64_t first_id);

} // namespace baikal
