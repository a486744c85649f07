#include "actors/manager/front_sessions.hpp"

#include <memory>
#include <vector>

#include "actors/manager/front_idle.hpp"
#include "actors/manager/front_parking.hpp"
#include "actors/manager/front_placement.hpp"
#include "actors/manager/session.hpp"
#include "actors/manager/session_census.hpp"
#include "actors/manager/session_request.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"

namespace baikal::front_steps {

namespace {

/// A restart asked of a parked session: it is answered by the actor it wakes in.
caf::result<kernel_info> restart_when_woken(front_ptr self, const session_id& id,
                                            session_entry& e) {
  auto rp = make_guarded_promise<kernel_info>(self);
  self->state.parking.after_wake(id, [self, id, rp](session_entry* woke) mutable {
    if (!woke || !woke->actor)
      return rp.deliver(
          make_error(errc::unavailable, "session " + id + " could not be woken; try again"));
    self->request(woke->actor, caf::infinite, sess::restart_main_kernel{})
        .then([rp](kernel_info& k) mutable { rp.deliver(std::move(k)); },
              [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  });
  wake(self, id, e);
  return rp;
}

} // namespace

void add_session(front_ptr self, session_record rec, shared_images images, shared_spec spec) {
  auto& st = self->state;
  auto& e = st.sessions.add(rec, std::move(spec));
  const auto& id = *e.key;
  st.metrics.session_moved(caf::none, rec.status);
  if (!e.spec)
    return;
  st.book.add(id, e);
  if (rec.status == session_status::running)
    start_idle_clock(self, id, e);
  e.actor = spawn_session(self, st.ctx, e.spec, std::move(rec), std::move(images));
}

caf::result<session_id> create_session(front_ptr self, api::create_session& x) {
  auto& st = self->state;
  if (!x.request.idle_timeout)
    x.request.idle_timeout = static_cast<double>(st.settings.default_idle_timeout.count());
  if (auto err = validate(x.request))
    return err;
  if (auto err = check_slots_offered(x.request.resources, st.agents.offered_slots()))
    return err;
  auto mounts =
      resolve_mounts(x.request.mounts, st.folders, st.settings.storage_root, x.request.owner);
  if (!mounts)
    return std::move(mounts.error());
  auto image = st.images.resolve(x.request.image);
  auto made = make_session(x.request, image, st.settings.default_scaling_group);
  made.mounts = std::move(*mounts);
  // Waiting could not help such a session: it is refused now, with the reason.
  if (auto why = st.book.never_fits(made); !why.empty())
    return make_error(errc::invalid_argument, "resources: " + why);
  // One spec from here on, shared by the store's write, the table and the session's actor.
  auto spec = std::make_shared<const scheduled_session>(std::move(made));
  // Until the session is in the table, where deleting a folder looks for its users.
  st.folders.pin(spec->user_uuid, x.request.mounts);
  auto rp = make_guarded_promise<session_id>(self);
  // Written with the creates that arrive before the pass: a burst is one store write.
  if (st.creates.empty())
    self->send(self, front::insert_pass{});
  st.creates.push_back({std::move(spec), std::move(image), x.request.mounts, rp});
  return rp;
}

void insert_pass(front_ptr self) {
  auto creates = std::move(self->state.creates);
  self->state.creates.clear();
  if (creates.empty())
    return;
  repo::insert_sessions req;
  req.reason = "waiting to be scheduled";
  req.sessions.reserve(creates.size());
  for (auto& c : creates)
    req.sessions.push_back(c.spec);
  auto shared = std::make_shared<std::vector<create_in_store>>(std::move(creates));
  auto unpin = [self](const create_in_store& c) {
    self->state.folders.unpin(c.spec->user_uuid, c.mounts);
  };
  // No request timeout: the store is linked to the front, so it answers or the front ends too.
  self->request(self->state.deps.store, caf::infinite, std::move(req))
      .then(
          [self, shared, unpin](repo::inserted_sessions& res) {
            auto& st = self->state;
            for (size_t i = 0; i < shared->size(); ++i) {
              auto& c = (*shared)[i];
              unpin(c);
              if (i < res.errors.size() && res.errors[i]) {
                c.answer.deliver(std::move(res.errors[i]));
                continue;
              }
              auto id = c.spec->id;
              session_record rec;
              rec.status = session_status::pending;
              add_session(self, std::move(rec), st.images.of_image(c.image), std::move(c.spec));
              c.answer.deliver(std::move(id));
            }
            queue_pass(self);
          },
          [shared, unpin](caf::error& err) {
            for (auto& c : *shared) {
              unpin(c);
              c.answer.deliver(err);
            }
          });
}

caf::result<session_record> get_session(front_ptr self, const api::get_session& x) {
  if (!self->state.sessions.owned(x.owner, x.session))
    return no_session(x.session);
  return self->delegate(self->state.deps.store, repo::get_session{x.session});
}

caf::result<std::vector<status_change>> get_session_history(front_ptr self,
                                                            const api::get_session_history& x) {
  if (!self->state.sessions.owned(x.owner, x.session))
    return no_session(x.session);
  return self->delegate(self->state.deps.store, repo::get_status_history{x.session});
}

caf::result<batch_output_answer> batch_output(front_ptr self, const api::batch_output& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (!is_terminal(e->status))
    return batch_output_answer{};
  auto rp = make_guarded_promise<batch_output_answer>(self);
  self->request(self->state.deps.store, caf::infinite, repo::get_batch_output{x.session})
      .then(
          [rp](std::string& out) mutable {
            rp.deliver(batch_output_answer{true, std::move(out)});
          },
          [rp](caf::error& err) mutable {
            if (code_of(err) == errc::not_found)
              rp.deliver(batch_output_answer{});
            else
              rp.deliver(std::move(err));
          });
  return rp;
}

caf::result<ack> terminate_session(front_ptr self, const api::terminate_session& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (is_terminal(e->status))
    return ack{};
  if (e->presence == presence::live) {
    if (!e->actor)
      return ack{};
    return self->delegate(e->actor, sess::terminate{"terminated by the user"});
  }
  // The actor answers as soon as the termination has begun: answer the same, now.
  deliver(self, x.session, *e, caf::make_message(sess::terminate{"terminated by the user"}));
  return ack{};
}

caf::result<kernel_info> restart_session(front_ptr self, const api::restart_session& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (e->status != session_status::running)
    return make_error(errc::conflict, "session " + x.session + " is " +
                                          front_status_text(e->status) +
                                          "; only a RUNNING session's kernel can be restarted");
  e->last_activity = clock::now();
  if (e->presence == presence::parked || e->presence == presence::waking)
    return restart_when_woken(self, x.session, *e);
  if (!e->actor)
    return make_error(errc::unavailable, "session " + x.session + " is being parked; try again");
  // A dozing actor takes it too: it stays awake and tells the front so.
  return self->delegate(e->actor, sess::restart_main_kernel{});
}

caf::result<kernel_route> main_kernel(front_ptr self, const api::main_kernel& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (e->status != session_status::running)
    return make_error(errc::invalid_argument, "session " + x.session + " is " +
                                                  front_status_text(e->status) + ", not RUNNING");
  if (x.activity)
    e->last_activity = clock::now(); // idle_check reads it when the deadline comes
  auto main = main_kernel_of(*e);
  if (!main)
    return make_error(errc::runtime_error, "session " + x.session + " has no main kernel");
  return self->state.agents.route_to(x.session, main->id, main->agent);
}

void session_changed(front_ptr self, const front::session_changed& x) {
  auto& st = self->state;
  auto* e = st.sessions.find(x.session);
  if (!e)
    return;
  // Its dozing actor moved on (an event came before it could park): it keeps the session.
  if (e->presence == presence::dozing)
    hand_over_held(self, x.session, *e);
  // The session's actor counted the move in the census already.
  if (x.status == session_status::running && e->status != session_status::running) {
    st.metrics.launch_latency.observe(
        std::chrono::duration<double>(clock::now() - e->created).count());
    if (e->spec && st.agents.launch_succeeded(*e->spec, st.book.slots()))
      queue_pass(self);
    start_idle_clock(self, x.session, *e);
  }
  e->status = x.status;
  bool may_place = st.book.moved(*e);
  if (is_terminal(x.status))
    forget_ended(*e); // its id may still be in the book's queue: a pass skips it there
  if (may_place)
    queue_pass(self);
}

} // namespace baikal::front_steps
