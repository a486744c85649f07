#include "actors/manager/front_idle.hpp"

#include "actors/manager/front_parking.hpp"
#include "actors/manager/idle_clock.hpp"

namespace baikal::front_steps {

namespace {

void arm_idle_check(front_ptr self, const session_id& id, session_entry& e, clock::duration after) {
  if (e.idle_check_out)
    return;
  e.idle_check_out = true;
  self->delayed_send(self, std::chrono::duration_cast<std::chrono::microseconds>(after),
                     front::idle_check{id});
}

} // namespace

void start_idle_clock(front_ptr self, const session_id& id, session_entry& e) {
  auto timeout = idle_timeout_of(e);
  if (timeout <= 0)
    return;
  e.last_activity = clock::now();
  arm_idle_check(self, id, e, idle_limit(timeout));
}

void idle_check(front_ptr self, const session_id& id) {
  auto* e = self->state.sessions.find(id);
  if (!e)
    return;
  e->idle_check_out = false;
  if (e->status != session_status::running)
    return;
  auto timeout = idle_timeout_of(*e);
  auto next = decide_idle(timeout, e->last_activity, clock::now());
  if (next.outcome == idle_outcome::early)
    return arm_idle_check(self, id, *e, next.rearm_after);
  if (next.outcome != idle_outcome::expired)
    return;
  self->state.log->info("session {}: {}", id, idle_reason(timeout));
  // A parked session is woken for it, like for a user's termination.
  deliver(self, id, *e,
          caf::make_message(sess::terminate{idle_reason(timeout), lifecycle_reason::idle_timeout}));
}

} // namespace baikal::front_steps
