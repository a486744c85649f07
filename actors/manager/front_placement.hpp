#pragma once

/// The manager front's placements (placement_book.hpp) and its agents' quarantine
/// (agent_mirror.hpp): the scheduling pass, and what a failed launch does to the agents
/// that failed it.

#include "actors/manager/manager_front_state.hpp"

namespace baikal::front_steps {

/// Runs a pass once the messages already in the mailbox are handled: the sessions created in
/// the meantime are placed together.
void queue_pass(front_ptr self);

/// Places the PENDING sessions in arrival order (placement_book.hpp).
void schedule_pending(front_ptr self);

void launch_failed(front_ptr self, const front::launch_failed& x);

void quarantine_tick(front_ptr self);

/// The session's start failed on `x.avoid` and it is PENDING again: ahead of the others.
void place_again(front_ptr self, front::place_again& x);

} // namespace baikal::front_steps
