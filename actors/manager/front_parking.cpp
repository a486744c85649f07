#include "actors/manager/front_parking.hpp"

#include <caf/send.hpp>

#include "actors/manager/session.hpp"

namespace baikal::front_steps {

namespace {

void send_to(const session_entry& e, caf::message m) {
  caf::anon_send(caf::actor_cast<caf::actor>(e.actor), std::move(m));
}

} // namespace

void hand_over_held(front_ptr self, const session_id& id, const session_entry& e) {
  for (auto& m : self->state.parking.wake(id))
    send_to(e, std::move(m));
}

void wake(front_ptr self, const session_id& id, session_entry& e) {
  auto& st = self->state;
  e.actor = spawn_session(self, st.ctx, e.spec, woken_record(*e.spec, e.status),
                          st.images.of_session(*e.spec), st.parking.wake(id));
  --st.metrics.parked_sessions;
  st.log->debug("session {} wakes", id);
}

void deliver(front_ptr self, const session_id& id, session_entry& e, caf::message m) {
  if (self->state.parking.where(id) == presence::live) {
    if (e.actor)
      send_to(e, std::move(m));
  } else if (self->state.parking.hold(id, std::move(m))) {
    wake(self, id, e);
  }
}

void session_idle(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || st.parking.where(id) != presence::live || e->status != session_status::running ||
      !e->actor)
    return;
  st.parking.doze(id);
  self->send(st.deps.hub, hub::detach_session{id, e->actor});
}

void session_asleep(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || st.parking.where(id) != presence::dozing)
    return;
  e->actor = nullptr;
  ++st.metrics.parked_sessions;
  if (st.parking.fall_asleep(id))
    wake(self, id, *e);
}

} // namespace baikal::front_steps
