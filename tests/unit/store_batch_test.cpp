// Batched store writes: many writes sharing one transaction all read back, before and after the
// commit, from a reopened file too; a write failing inside a batch fails alone; writes sent to
// the store actor without waiting for answers are all there after it stops; and a requested
// write is answered only once it is committed.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <sqlite3.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/manager/store_actor.hpp"
#include "messages/errors.hpp"
#include "runtime/store/session_store.hpp"
#include "support/store_places.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
using namespace std::chrono_literals;
using baikal::test::temp_dir;

namespace {

scheduled_session session_n(int n) {
  scheduled_session s;
  s.id = "s" + std::to_string(n);
  s.name = "batch" + std::to_string(n);
  s.user_uuid = "u1";
  s.kernels = {{"k" + std::to_string(n),
                "",
                "",
                "img",
                "x86_64",
                cluster_role::main,
                1,
                0,
                "main1",
                {{"cpu", 1}},
                1000,
                1000}};
  return s;
}

/// Every transition session `n` went through in `write_transitions`, as the history holds it.
const std::vector<session_status> transitions{session_status::pending,   session_status::scheduled,
                                              session_status::preparing, session_status::prepared,
                                              session_status::creating,  session_status::running};

void write_transitions(session_store& db, int n) {
  auto s = session_n(n);
  REQUIRE_FALSE(db.insert_session(s, session_status::pending, "waiting"));
  s.kernels[0].agent = "a" + std::to_string(n % 7);
  REQUIRE_FALSE(db.bind_session(s));
  for (size_t i = 1; i < transitions.size(); ++i)
    REQUIRE_FALSE(db.set_session_status(s.id, transitions[i], "step " + std::to_string(i)));
  REQUIRE_FALSE(
      db.set_kernel_status(s.kernels[0].id, kernel_status::running, "c" + std::to_string(n)));
}

void check_all_there(session_store& db, int sessions) {
  for (int n = 0; n < sessions; ++n) {
    auto rec = db.get_session("s" + std::to_string(n));
    REQUIRE(rec);
    CHECK(rec->status == session_status::running);
    CHECK(rec->spec.kernels.at(0).agent == "a" + std::to_string(n % 7));
    REQUIRE(rec->kernels.size() == 1);
    CHECK(rec->kernels[0].container_id == "c" + std::to_string(n));
    auto history = db.status_history(rec->spec.id);
    REQUIRE(history);
    REQUIRE(history->size() == transitions.size());
    for (size_t i = 0; i < transitions.size(); ++i)
      CHECK((*history)[i].status == transitions[i]);
  }
}

/// A store actor on a fresh place of `Place`, in an actor system of its own; stopped (and
/// waited for) on stop() or at the end of the test.
template <class Place> struct store_actor_rig {
  Place place;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  store_actor store;

  store_actor_rig() {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    auto spawned = spawn_store(*sys, place.location);
    REQUIRE_MESSAGE(spawned, message_of(spawned.error()));
    store = *spawned;
  }
  ~store_actor_rig() { stop(); }
  store_actor_rig(const store_actor_rig&) = delete;
  store_actor_rig& operator=(const store_actor_rig&) = delete;

  /// Stops the store actor and waits until it is gone (its last batch committed).
  void stop() {
    if (!store)
      return;
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    caf::scoped_actor self{*sys};
    self->wait_for(store);
    store = nullptr;
  }
};

} // namespace

BAIKAL_STORE_TEST(batch_reads_back,
                  "many transitions written in one batch all read back, also after reopening") {
  Place place;
  auto file = place.location;
  constexpr int sessions = 500;
  {
    auto store = session_store::open(file);
    REQUIRE(store);
    auto& db = **store;
    REQUIRE_FALSE(db.begin_batch());
    CHECK(db.in_batch());
    for (int n = 0; n < sessions; ++n)
      write_transitions(db, n);
    check_all_there(db, sessions); // reads see the batch before it is committed
    REQUIRE_FALSE(db.commit_batch());
    CHECK_FALSE(db.in_batch());
    // A second batch left open: closing the store commits it.
    REQUIRE_FALSE(db.begin_batch());
    write_transitions(db, sessions);
  }
  auto store = session_store::open(file);
  REQUIRE(store);
  check_all_there(**store, sessions + 1);
}

BAIKAL_STORE_TEST(batch_history_at_commit,
                  "the history of a batch committed unread is all there, in its order, for "
                  "another connection") {
  Place place;
  constexpr int sessions = 150; // 900 rows: many INSERTs of many rows, and a few of fewer
  auto store = session_store::open(place.location);
  REQUIRE(store);
  REQUIRE_FALSE((*store)->begin_batch());
  for (int n = 0; n < sessions; ++n)
    write_transitions(**store, n);
  REQUIRE_FALSE((*store)->commit_batch());
  auto reader = session_store::open(place.location);
  REQUIRE(reader);
  check_all_there(**reader, sessions);
  auto history = (*reader)->status_history("s7");
  REQUIRE(history);
  REQUIRE(history->size() == transitions.size());
  CHECK((*history)[0].reason == "waiting");
  for (size_t i = 1; i < transitions.size(); ++i)
    CHECK((*history)[i].reason == "step " + std::to_string(i));
}

TEST_CASE("store: a batch whose history cannot be written at its commit keeps none of its "
          "writes") {
  temp_dir dir;
  auto file = (dir.path / "store.db").string();
  auto store = session_store::open(file);
  REQUIRE(store);
  auto& db = **store;
  REQUIRE_FALSE(db.insert_session(session_n(0), session_status::pending, "before the batch"));
  {
    // Another connection makes the database refuse one history row, as a full disk would.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
    CHECK(sqlite3_exec(raw,
                       "CREATE TRIGGER refuse BEFORE INSERT ON session_status_history "
                       "WHEN NEW.reason = 'refused' BEGIN SELECT RAISE(ABORT, 'no room'); END",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  REQUIRE_FALSE(db.begin_batch());
  REQUIRE_FALSE(db.insert_session(session_n(1), session_status::pending, "waiting"));
  // The row is held until the commit, so the write itself succeeds...
  CHECK_FALSE(db.set_session_status("s0", session_status::scheduled, "refused"));
  // ...and the commit fails with the database's reason, leaving none of the batch's writes.
  auto err = db.commit_batch();
  REQUIRE(err);
  CHECK(message_of(err).find("no room") != std::string::npos);
  CHECK_FALSE(db.in_batch());
  CHECK(code_of(db.get_session("s1").error()) == errc::not_found);
  auto s0 = db.get_session("s0");
  REQUIRE(s0);
  CHECK(s0->status == session_status::pending);
  auto history = db.status_history("s0");
  REQUIRE(history);
  CHECK(history->size() == 1);
  // The store goes on: the next batch commits.
  REQUIRE_FALSE(db.begin_batch());
  REQUIRE_FALSE(db.set_session_status("s0", session_status::scheduled, "bound"));
  REQUIRE_FALSE(db.commit_batch());
  CHECK(db.get_session("s0")->status == session_status::scheduled);
}

BAIKAL_STORE_TEST(failing_write_in_batch, "a write failing inside a batch fails alone") {
  Place place;
  auto store = session_store::open(place.location);
  REQUIRE(store);
  auto& db = **store;
  REQUIRE_FALSE(db.begin_batch());
  REQUIRE_FALSE(db.insert_session(session_n(1), session_status::pending, "waiting"));
  // The same id again: the insert is refused and leaves no half-written kernels or history.
  CHECK(db.insert_session(session_n(1), session_status::pending, "again"));
  CHECK(code_of(db.set_session_status("nope", session_status::running, "x")) == errc::not_found);
  REQUIRE_FALSE(db.set_session_status("s1", session_status::scheduled, "bound"));
  REQUIRE_FALSE(db.commit_batch());
  auto history = db.status_history("s1");
  REQUIRE(history);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].reason == "waiting");
  CHECK((*history)[1].status == session_status::scheduled);
  auto rec = db.get_session("s1");
  REQUIRE(rec);
  CHECK(rec->kernels.size() == 1);
}

BAIKAL_STORE_TEST(unawaited_writes_kept,
                  "writes sent to the store actor without waiting are all kept when it stops") {
  store_actor_rig<Place> rig;
  auto& store = rig.store;
  constexpr int sessions = 300;
  for (int n = 0; n < sessions; ++n) {
    auto s = session_n(n);
    caf::anon_send(store, repo::insert_sessions{{std::make_shared<const scheduled_session>(s)},
                                                session_status::pending,
                                                "waiting"});
    s.kernels[0].agent = "a" + std::to_string(n % 7);
    caf::anon_send(store, repo::bind_session{s});
    for (size_t i = 1; i < transitions.size(); ++i)
      caf::anon_send(store, repo::set_session_status{s.id, transitions[i], "step"});
    caf::anon_send(store, repo::set_kernel_status{s.kernels[0].id, kernel_status::running,
                                                  "c" + std::to_string(n)});
  }
  {
    caf::scoped_actor self{*rig.sys};
    // Answered after every write above (one mailbox, in order); the last batch's commit is
    // still queued behind it, so stopping now must commit it on the way out.
    self->request(store, 30s, repo::get_session{"s" + std::to_string(sessions - 1)})
        .receive([](session_record& rec) { CHECK(rec.status == session_status::running); },
                 [](caf::error& err) { FAIL(message_of(err)); });
  }
  rig.stop();
  auto db = session_store::open(rig.place.location);
  REQUIRE(db);
  auto all = (*db)->list_sessions();
  REQUIRE(all);
  CHECK(all->size() == static_cast<size_t>(sessions));
  for (int n = 0; n < sessions; ++n) {
    auto rec = (*db)->get_session("s" + std::to_string(n));
    REQUIRE(rec);
    CHECK(rec->status == session_status::running);
    CHECK(rec->kernels.at(0).container_id == "c" + std::to_string(n));
  }
}

BAIKAL_STORE_TEST(answered_after_commit,
                  "a requested write is answered once its batch is committed") {
  store_actor_rig<Place> rig;
  auto& store = rig.store;
  // Writes nobody waits for, then a request in the same mailbox: they share a batch whose
  // commit is queued behind them all.
  constexpr int sessions = 500;
  for (int n = 0; n < sessions; ++n)
    caf::anon_send(store,
                   repo::insert_sessions{{std::make_shared<const scheduled_session>(session_n(n))},
                                         session_status::pending,
                                         "waiting"});
  caf::scoped_actor self{*rig.sys};
  self->request(
          store, 30s,
          repo::insert_sessions{{std::make_shared<const scheduled_session>(session_n(sessions))},
                                session_status::pending,
                                "waiting"})
      .receive([](repo::inserted_sessions& res) { CHECK_FALSE(res.errors.at(0)); },
               [](caf::error& err) { FAIL(message_of(err)); });
  // Another connection sees only what is committed (WAL): the answer came after the commit.
  auto reader = session_store::open(rig.place.location);
  REQUIRE(reader);
  auto rec = (*reader)->get_session("s" + std::to_string(sessions));
  CHECK_MESSAGE(rec, "answered before its commit");
  auto all = (*reader)->list_sessions();
  REQUIRE(all);
  CHECK(all->size() == static_cast<size_t>(sessions + 1));
}

BAIKAL_STORE_TEST(inserts_of_a_pass,
                  "the creates of one pass are stored together, each failing alone, and "
                  "answered once committed") {
  store_actor_rig<Place> rig;
  auto& store = rig.store;
  caf::scoped_actor self{*rig.sys};
  auto shared = [](int n) { return std::make_shared<const scheduled_session>(session_n(n)); };
  self->request(store, 30s, repo::insert_sessions{{shared(1)}, session_status::pending, "first"})
      .receive([](repo::inserted_sessions& res) { CHECK_FALSE(res.errors.at(0)); },
               [](caf::error& err) { FAIL(message_of(err)); });
  // s1 again is a duplicate: it fails, and s0 and s2 beside it are stored all the same.
  repo::insert_sessions pass{{shared(0), shared(1), shared(2), nullptr},
                             session_status::pending,
                             "waiting to be scheduled"};
  self->request(store, 30s, std::move(pass))
      .receive(
          [](repo::inserted_sessions& res) {
            REQUIRE(res.errors.size() == 4);
            CHECK_FALSE(res.errors[0]);
            CHECK(res.errors[1]);
            CHECK_FALSE(res.errors[2]);
            REQUIRE(res.errors[3]);
            CHECK(code_of(res.errors[3]) == errc::invalid_argument);
          },
          [](caf::error& err) { FAIL(message_of(err)); });
  // Another connection sees only what is committed (WAL): the answer came after the commit.
  auto reader = session_store::open(rig.place.location);
  REQUIRE(reader);
  for (auto id : {"s0", "s2"}) {
    auto rec = (*reader)->get_session(id);
    CHECK_MESSAGE(rec, id << " answered before its commit");
    auto history = (*reader)->status_history(id);
    REQUIRE(history);
    REQUIRE(history->size() == 1);
    CHECK((*history)[0].reason == "waiting to be scheduled");
  }
  auto first = (*reader)->status_history("s1");
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  CHECK((*first)[0].reason == "first");
}
