#include "actors/manager/front_placement.hpp"

namespace baikal::front_steps {

namespace {

/// One quarantine_tick out for the earliest back-off end; another when an earlier one comes.
void arm_quarantine_tick(front_ptr self) {
  auto delay = self->state.agents.tick_needed(clock::now());
  if (!delay)
    return;
  self->delayed_send(self,
                     std::chrono::duration_cast<std::chrono::milliseconds>(*delay) +
                         std::chrono::milliseconds{1},
                     front::quarantine_tick{});
}

} // namespace

void queue_pass(front_ptr self) {
  if (self->state.pass_queued)
    return;
  self->state.pass_queued = true;
  self->send(self, front::schedule_pass{});
}

void schedule_pending(front_ptr self) {
  auto& st = self->state;
  placement_book::pass_hooks hooks;
  hooks.waiting = [&st](const session_id& id) { return st.sessions.waiting(id); };
  hooks.suspects = [&st] { return st.agents.quarantine().suspects(); };
  hooks.explain = [&st](const std::string& r) { return st.agents.with_quarantine_note(r); };
  hooks.bound = [self, &st](session_entry& e, const sched::placement& p) {
    auto now = clock::now();
    for (auto& agent : p.agents)
      if (st.agents.placed(agent, st.book.slots(), now))
        arm_quarantine_tick(self);
    self->send(e.actor, sess::bound{e.spec});
  };
  hooks.still_pending = [self](session_entry& e, const std::string& reason) {
    self->send(e.actor, sess::still_pending{reason});
  };
  st.book.pass(hooks);
}

void launch_failed(front_ptr self, const front::launch_failed& x) {
  auto& st = self->state;
  st.metrics.quarantines += st.agents.launch_failed(x, st.book.slots(), clock::now());
  arm_quarantine_tick(self);
}

void quarantine_tick(front_ptr self) {
  auto& st = self->state;
  auto now = clock::now();
  if (st.agents.tick_arrived(st.book.slots(), now))
    queue_pass(self);
  arm_quarantine_tick(self);
}

void place_again(front_ptr self, front::place_again& x) {
  auto& st = self->state;
  auto* e = st.sessions.find(x.session);
  // Ended or ending meanwhile (the session told the front PENDING before this).
  if (!e || !e->spec || !e->actor || e->status != session_status::pending)
    return;
  st.book.place_again(x.session, *e, std::move(x.avoid));
  ++st.metrics.launch_retries;
  queue_pass(self);
}

} // namespace baikal::front_steps
