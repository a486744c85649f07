#include "actors/manager/front_parking.hpp"

#include <caf/send.hpp>

#include "actors/manager/session.hpp"
#include "messages/errors.hpp"

namespace baikal::front_steps {

namespace {

void send_to(const session_entry& e, caf::message m) {
  caf::anon_send(caf::actor_cast<caf::actor>(e.actor), std::move(m));
}

/// Parked session `id` has its spec: its actor runs again, with what was held.
void respawn(front_ptr self, const session_id& id, session_entry& e) {
  auto& st = self->state;
  e.actor = spawn_session(self, st.ctx, e.spec, woken_record(*e.spec, e.status),
                          st.images.of_session(*e.spec), st.parking.wake(id, e));
  --st.metrics.parked_sessions;
  st.log->debug("session {} wakes", id);
  for (auto& f : st.parking.waiters(id))
    f(&e);
}

/// Session `id`'s spec came back from the store.
void woken(front_ptr self, const session_id& id, session_record& rec) {
  auto* e = self->state.sessions.find(id);
  if (!e || e->presence != presence::waking)
    return;
  unpark(*e, std::make_shared<const scheduled_session>(std::move(rec.spec)));
  respawn(self, id, *e);
}

/// The store could not give session `id`'s spec back: it stays parked with what was held, and
/// the next message for it tries again.
void not_woken(front_ptr self, const session_id& id, const caf::error& err) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || e->presence != presence::waking)
    return;
  st.log->error("session {} cannot wake: its spec could not be read from the store: {}", id,
                message_of(err));
  st.parking.not_woken(*e);
  for (auto& f : st.parking.waiters(id))
    f(nullptr);
}

} // namespace

void hand_over_held(front_ptr self, const session_id& id, session_entry& e) {
  for (auto& m : self->state.parking.wake(id, e))
    send_to(e, std::move(m));
}

void wake(front_ptr self, const session_id& id, session_entry& e) {
  auto& st = self->state;
  if (e.presence != presence::parked)
    return;
  if (e.spec)
    return respawn(self, id, e);
  st.parking.waking(e);
  // Parked, it kept no spec (session_table.hpp): the store has it.
  self->request(st.deps.store, caf::infinite, repo::get_session{id})
      .then([self, id](session_record& rec) { woken(self, id, rec); },
            [self, id](caf::error& err) { not_woken(self, id, err); });
}

void deliver(front_ptr self, const session_id& id, session_entry& e, caf::message m) {
  if (e.presence == presence::live) {
    if (e.actor)
      send_to(e, std::move(m));
  } else if (self->state.parking.hold(id, e, std::move(m))) {
    wake(self, id, e);
  }
}

void session_idle(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || e->presence != presence::live || e->status != session_status::running || !e->actor)
    return;
  st.parking.doze(*e);
  self->send(st.deps.hub, hub::detach_session{id, e->actor});
}

void session_asleep(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || e->presence != presence::dozing)
    return;
  e->actor = nullptr;
  ++st.metrics.parked_sessions;
  // Something came while it dozed: it wakes with the spec it still has.
  if (st.parking.fall_asleep(id, *e))
    return respawn(self, id, *e);
  park(*e);
}

} // namespace baikal::front_steps
