#pragma once

/// The actor that fires the sessions' timers (session_timers.hpp): once a tick it takes the
/// timers due and sends each its session's message. A session that ended meanwhile is skipped.

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>

#include "actors/manager/session_timers.hpp"

namespace baikal {

using session_tick_atom = caf::atom_constant<caf::atom("stick")>;

using session_ticker_actor = caf::typed_actor<caf::reacts_to<session_tick_atom>>;

/// Sends every timer of `timers` that comes due, one tick at a time, until it is stopped.
session_ticker_actor spawn_session_ticker(caf::actor_system& sys,
                                          std::shared_ptr<session_timers> timers);

} // namespace baikal
