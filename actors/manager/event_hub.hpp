#pragma once

/// The event hub: the event sink every agent reports to. Each event goes
///  - to the session actor it concerns: kernel events by their session id, image pull events to
///    every session waiting for that image on that agent (hub::attach_session);
///  - to every subscriber (api::subscribe_events), until the subscriber terminates;
///  - into the pull and kernel event counters (/metrics).
/// Session actors and subscribers are monitored and forgotten when they end. A parked session
/// (hub::detach_session) has no route: its kernel_started and kernel_terminated events go to the
/// front, which spawns its actor again.

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/manager/manager_messages.hpp"
#include "actors/manager/manager_metrics.hpp"

namespace baikal {

event_hub_actor spawn_event_hub(caf::actor_system& sys, std::shared_ptr<event_counters> counters);

} // namespace baikal
