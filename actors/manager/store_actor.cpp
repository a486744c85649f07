#include "actors/manager/store_actor.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/store/session_store.hpp"

namespace baikal {

namespace {

struct store_state {
  std::shared_ptr<session_store> db;
  /// Write requests of the open batch: answered once it is committed, with the commit's error
  /// if it failed.
  std::vector<std::function<void(const caf::error&)>> committing;
  std::shared_ptr<spdlog::logger> log = log::get("store");
  /// While the database cannot be reached: since when, and when the log last said so (once
  /// every ten seconds, not on every proof of life).
  std::chrono::steady_clock::time_point unreachable_since{};
  std::chrono::steady_clock::time_point unreachable_said{};
  static inline const char* name = "store";
};

using store_ptr = store_actor::stateful_pointer<store_state>;

/// Answers `answer` once the open batch is committed: an answered write must survive a crash of
/// the manager. Writes sent without a request answer nobody.
template <class T> caf::result<T> after_commit(store_ptr self, T answer) {
  if (!self->state.db->in_batch() || !self->current_mailbox_element()->mid.is_request())
    return answer;
  auto rp = make_guarded_promise<T>(self);
  self->state.committing.emplace_back(
      [rp, answer = std::move(answer)](const caf::error& err) mutable {
        if (err)
          rp.deliver(err);
        else
          rp.deliver(std::move(answer));
      });
  return rp;
}

caf::result<ack> done(store_ptr self, caf::error err) {
  if (err) {
    self->state.log->error("a store write failed: {}", message_of(err));
    return err;
  }
  return after_commit(self, ack{});
}

template <class T> caf::result<T> value(caf::expected<T> x) {
  if (!x)
    return std::move(x.error());
  return std::move(*x);
}

/// The session store with a batch open for the next write: the first write of a batch queues
/// the flush behind whatever is already in the mailbox.
session_store& batched(store_ptr self) {
  auto& db = *self->state.db;
  if (!db.in_batch()) {
    if (auto err = db.begin_batch())
      self->state.log->warn("writing without a batch: {}", message_of(err));
    else
      self->send(self, repo::flush_batch{});
  }
  return db;
}

/// A session's step: its move, then its kernels' changes, each written even when another of
/// them fails (as the separate writes they replace were); the first failure is the answer.
caf::error move_session(session_store& db, const repo::move_session& x) {
  auto err = db.move_session(x.session, x.moves, x.bound.get());
  for (auto& k : x.kernels)
    if (auto failed = db.set_kernel_status(k.kernel, k.status, k.container_id); failed && !err)
      err = std::move(failed);
  return err;
}

/// Each session in the open batch; one that cannot be written fails alone.
caf::result<repo::inserted_sessions> insert_sessions(store_ptr self, repo::insert_sessions& x) {
  auto& db = batched(self);
  repo::inserted_sessions out;
  out.errors.reserve(x.sessions.size());
  for (auto& s : x.sessions)
    out.errors.push_back(s ? db.insert_session(*s, x.status, x.reason)
                           : make_error(errc::invalid_argument, "an insert of no session"));
  for (auto& err : out.errors)
    if (err)
      self->state.log->error("a store write failed: {}", message_of(err));
  return after_commit(self, std::move(out));
}

void flush(store_ptr self) {
  auto err = self->state.db->commit_batch();
  if (err)
    self->state.log->error("committing a batch of store writes failed: {}", message_of(err));
  auto waiting = std::move(self->state.committing);
  self->state.committing.clear();
  for (auto& answer : waiting)
    answer(err);
}

/// The store for a read: what was written before is committed first, so a reader that got its
/// answer finds the same through any other connection to the file.
session_store& committed(store_ptr self) {
  flush(self);
  return *self->state.db;
}

/// Proves the leader alive, a third of the lease from now and again; ends the actor when the
/// lead is lost.
void keep_leading(store_ptr self, std::chrono::milliseconds every) {
  auto& st = self->state;
  auto err = st.db->keep_leading();
  auto now = std::chrono::steady_clock::now();
  if (!err && st.unreachable_since != std::chrono::steady_clock::time_point{}) {
    st.log->info("the database answers again after {:.1f} s; still leading (epoch {})",
                 std::chrono::duration<double>(now - st.unreachable_since).count(), st.db->epoch());
    st.unreachable_since = {};
  }
  if (err && code_of(err) != errc::unavailable) {
    if (st.unreachable_since == std::chrono::steady_clock::time_point{})
      st.unreachable_since = st.unreachable_said = now;
    else if (now - st.unreachable_said < std::chrono::seconds{10})
      return self->delayed_send(self, every, repo::keep_leading{});
    st.unreachable_said = now;
    st.log->warn("still leading the store as far as anyone can tell ({:.0f} s without the "
                 "database): {}",
                 std::chrono::duration<double>(now - st.unreachable_since).count(),
                 message_of(err));
  } else if (err) {
    self->state.log->error("lost the lead of the store (epoch {}): {}; stopping, the manager "
                           "that leads it now carries on",
                           self->state.db->epoch(), message_of(err));
    return self->quit(make_error(errc::unavailable, "this manager lost the lead of the store"));
  }
  self->delayed_send(self, every, repo::keep_leading{});
}

store_actor::behavior_type store(store_ptr self, std::shared_ptr<session_store> db,
                                 std::chrono::milliseconds lease) {
  self->state.db = std::move(db);
  auto every = lease / 3;
  if (self->state.db->epoch() != 0)
    self->delayed_send(self, every, repo::keep_leading{});
  // The store closing commits too; this commits before the actor's end is reported to anyone.
  // It holds the store itself: the actor's state may be gone when it runs.
  self->attach_functor([db = self->state.db] { static_cast<void>(db->commit_batch()); });
  stop_alone_on_exception(self, "the store");
  return {
      [self](repo::update_session_network_id& x) {
        return done(self, batched(self).update_session_network_id(x.session, x.network_id));
      },
      [self](repo::update_session_error_info& x) {
        return done(self, batched(self).update_session_error_info(x.session, x.error_info));
      },
      [self](repo::insert_sessions& x) { return insert_sessions(self, x); },
      [self](repo::get_session& x) { return value(committed(self).get_session(x.session)); },
      [self](repo::list_sessions&) { return value(committed(self).list_sessions()); },
      [self](repo::set_session_status& x) {
        return done(self, batched(self).set_session_status(x.session, x.status, x.reason));
      },
      [self](repo::get_status_history& x) {
        return value(committed(self).status_history(x.session));
      },
      [self](repo::upsert_agent& x) { return done(self, batched(self).upsert_agent(x.agent)); },
      [self](repo::list_agents&) { return value(committed(self).list_agents()); },
      [self](repo::set_service_ports& x) {
        return done(self, batched(self).set_service_ports(x.session, x.ports));
      },
      [self](repo::set_kernel_status& x) {
        return done(self, batched(self).set_kernel_status(x.kernel, x.status, x.container_id));
      },
      [self](repo::list_sessions_of& x) {
        return value(committed(self).list_sessions_of(x.owner, x.page));
      },
      [self](repo::bind_session& x) { return done(self, batched(self).bind_session(x.session)); },
      [self](repo::move_session& x) { return done(self, move_session(batched(self), x)); },
      [self](repo::set_agent_drained& x) {
        return done(self, batched(self).set_agent_drained(x.agent, x.drained, x.by));
      },
      [self](repo::list_drained_agents&) { return value(committed(self).list_drained_agents()); },
      [self](repo::flush_batch) { flush(self); },
      [self, every](repo::keep_leading) { keep_leading(self, every); },
      [self](repo::set_batch_result& x) {
        return done(self, batched(self).set_batch_result(x.session, x.exit_code, x.output));
      },
      [self](repo::get_batch_output& x) { return value(committed(self).batch_output(x.session)); },
  };
}

} // namespace

caf::expected<store_actor> spawn_store(caf::actor_system& sys, const std::string& path) {
  auto db = session_store::open(path);
  if (!db)
    return std::move(db.error());
  // detached: every handler blocks on SQLite, so the actor gets a thread of its own.
  return sys.spawn<caf::detached>(store, std::shared_ptr<session_store>{std::move(*db)},
                                  std::chrono::milliseconds{0});
}

caf::expected<store_actor> spawn_leading_store(caf::actor_system& sys, const std::string& location,
                                               const lead_settings& lead) {
  auto log = log::get("store");
  // Said when it changes, and once a minute while it does not.
  std::string said;
  auto said_at = std::chrono::steady_clock::time_point{};
  auto db = session_store::open_leading(location, lead, [&](const std::string& why) {
    auto now = std::chrono::steady_clock::now();
    if (why == said && now - said_at < std::chrono::minutes{1})
      return;
    said = why;
    said_at = now;
    log->info("standing by: {}; trying again every {} ms", why, lead.retry.count());
  });
  if (!db)
    return std::move(db.error());
  if ((*db)->epoch() != 0)
    log->info("{} leads the store (epoch {})", lead.who, (*db)->epoch());
  return sys.spawn<caf::detached>(store, std::shared_ptr<session_store>{std::move(*db)},
                                  lead.lease);
}

} // namespace baikal
