#pragma once

/// The manager front's idle reaping (idle_clock.hpp): a RUNNING session with an idle_timeout
/// is terminated once no activity came for that long, parked or not.

#include "actors/manager/manager_front_state.hpp"

namespace baikal::front_steps {

/// The session runs from now (or runs still, after a manager restart: the last activity is not
/// stored, so the clock starts again from the restart).
void start_idle_clock(front_ptr self, const session_id& id, session_entry& e);

void idle_check(front_ptr self, const session_id& id);

} // namespace baikal::front_steps
