#include "actors/manager/standby_front.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/session_table.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

caf::error standing_by() {
  return make_error(errc::unavailable,
                    "this manager stands by and answers only session reads; send the request to "
                    "the manager that leads");
}

caf::error no_database() {
  return make_error(errc::unavailable,
                    "this manager stands by and could not reach the database when it began; "
                    "ask the manager that leads");
}

template <class Msg, class Result> auto refused() {
  return [](const Msg&) -> caf::result<Result> { return standing_by(); };
}

using front_pointer = manager_actor::pointer;

/// The session, when `owner` owns it (another user's session is not there, as on the leader).
template <class Then>
void owned_session(front_pointer self, const store_actor& store, std::chrono::milliseconds limit,
                   const user_id& owner, const session_id& id, Then then,
                   std::function<void(caf::error)> fail) {
  self->request(store, limit, repo::get_session{id})
      .then(
          [=](session_record& rec) mutable {
            if (rec.spec.user_uuid != owner)
              return fail(no_session(id));
            then(std::move(rec));
          },
          [fail, id](caf::error& err) {
            fail(code_of(err) == errc::not_found ? no_session(id) : std::move(err));
          });
}

manager_actor::behavior_type standby_front(front_pointer self, store_actor store,
                                           std::chrono::milliseconds limit) {
  if (store)
    self->monitor(store);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  return {
      [=](const api::list_sessions& x) -> caf::result<std::vector<session_record>> {
        if (!store)
          return no_database();
        return self->delegate(store, repo::list_sessions_of{x.owner, x.page});
      },
      [=](const api::get_session& x) -> caf::result<session_record> {
        if (!store)
          return no_database();
        auto rp = make_guarded_promise<session_record>(self);
        owned_session(
            self, store, limit, x.owner, x.session,
            [rp](session_record rec) mutable { rp.deliver(std::move(rec)); },
            [rp](caf::error err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [=](const api::get_session_history& x) -> caf::result<std::vector<status_change>> {
        if (!store)
          return no_database();
        auto rp = make_guarded_promise<std::vector<status_change>>(self);
        auto fail = [rp](caf::error err) mutable { rp.deliver(std::move(err)); };
        owned_session(
            self, store, limit, x.owner, x.session,
            [=](session_record) {
              self->request(store, limit, repo::get_status_history{x.session})
                  .then([rp](std::vector<status_change>& h) mutable { rp.deliver(std::move(h)); },
                        fail);
            },
            fail);
        return rp;
      },
      refused<api::create_session, session_id>(),
      refused<api::terminate_session, ack>(),
      refused<api::main_kernel, kernel_route>(),
      refused<api::restart_session, kernel_info>(),
      refused<api::list_agents, std::vector<agent_view>>(),
      refused<api::agent_handle, agent_actor>(),
      refused<api::set_agent_drain, ack>(),
      refused<api::subscribe_events, ack>(),
      refused<api::follow_events, event_replay>(),
      refused<api::get_metrics, std::string>(),
      refused<api::check_ready, ack>(),
      refused<api::create_folder, folder_info>(),
      refused<api::list_folders, std::vector<folder_info>>(),
      refused<api::delete_folder, ack>(),
      refused<api::batch_output, batch_output_answer>(),
  };
}

} // namespace

manager_actor spawn_standby_front(caf::actor_system& sys, store_actor store,
                                  std::chrono::milliseconds store_timeout) {
  return sys.spawn(standby_front, std::move(store), store_timeout);
}

} // namespace baikal
