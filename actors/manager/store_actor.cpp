#include "actors/manager/store_actor.hpp"

#include <memory>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "runtime/store/session_store.hpp"

namespace baikal {

namespace {

caf::result<ack> done(caf::error err) {
  if (err)
    return err;
  return ack{};
}

template <class T> caf::result<T> value(caf::expected<T> x) {
  if (!x)
    return std::move(x.error());
  return std::move(*x);
}

store_actor::behavior_type store(store_actor::pointer, std::shared_ptr<session_store> db) {
  return {
      [db](repo::update_session_network_id& x) {
        return done(db->update_session_network_id(x.session, x.network_id));
      },
      [db](repo::update_session_error_info& x) {
        return done(db->update_session_error_info(x.session, x.error_info));
      },
      [db](repo::insert_session& x) {
        return done(db->insert_session(x.session, x.status, x.reason));
      },
      [db](repo::get_session& x) { return value(db->get_session(x.session)); },
      [db](repo::list_sessions&) { return value(db->list_sessions()); },
      [db](repo::set_session_status& x) {
        return done(db->set_session_status(x.session, x.status, x.reason));
      },
      [db](repo::get_status_history& x) { return value(db->status_history(x.session)); },
      [db](repo::upsert_agent& x) { return done(db->upsert_agent(x.agent)); },
      [db](repo::list_agents&) { return value(db->list_agents()); },
      [db](repo::set_kernel_status& x) {
        return done(db->set_kernel_status(x.kernel, x.status, x.container_id));
      },
      [db](repo::list_sessions_of& x) { return value(db->list_sessions_of(x.owner)); },
      [db](repo::bind_session& x) { return done(db->bind_session(x.session)); },
  };
}

} // namespace

caf::expected<store_actor> spawn_store(caf::actor_system& sys, const std::string& path) {
  auto db = session_store::open(path);
  if (!db)
    return std::move(db.error());
  // detached: every handler blocks on SQLite, so the actor gets a thread of its own.
  return sys.spawn<caf::detached>(store, std::shared_ptr<session_store>{std::move(*db)});
}

} // namespace baikal
