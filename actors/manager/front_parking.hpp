#pragma once

/// The manager front's parked sessions (parking_lot.hpp): a parked session has no actor;
/// what comes for it is held and its actor spawned again.

#include "actors/manager/manager_front_state.hpp"

namespace baikal::front_steps {

/// The session runs in its actor again: it gets what was held for it meanwhile.
void hand_over_held(front_ptr self, const session_id& id, session_entry& e);

/// Spawns the actor of a parked session again (see woken_record) with what came meanwhile,
/// once its spec is read back from the store; nothing if it is being woken already.
void wake(front_ptr self, const session_id& id, session_entry& e);

/// Something for a live session that may be parked or parking: to its actor, held, or held
/// and the actor spawned again.
void deliver(front_ptr self, const session_id& id, session_entry& e, caf::message m);

/// The session's actor asks to park; the hub stops routing to it first (see session.hpp).
void session_idle(front_ptr self, const session_id& id);

void session_asleep(front_ptr self, const session_id& id);

/// A kernel event the hub had no route for: the session may be parked.
template <class Event> void kernel_event(front_ptr self, const Event& ev) {
  auto* e = self->state.sessions.find(ev.header.session);
  if (!e || is_terminal(e->status))
    return;
  deliver(self, ev.header.session, *e, caf::make_message(ev));
}

} // namespace baikal::front_steps
