// What is particular to the PostgreSQL store: the store's SQL rewritten for it, a URL's password
// kept out of messages, a database restart that the store rides out, and one manager leading
// the managers that share it (a standby takes over, a deposed leader is fenced). What both stores
// do alike is tested once for both (BAIKAL_STORE_TEST).

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runtime/store/postgres_connection.hpp"
#include "runtime/store/session_store.hpp"
#include "support/eventually.hpp"
#include "support/store_places.hpp"
#include "support/why.hpp"

using namespace baikal;

TEST_CASE("store on PostgreSQL: SQLite's placeholders become numbered ones, quoted text is "
          "left alone") {
  CHECK(postgres_placeholders("SELECT a FROM t WHERE x = ? AND y = ?") ==
        "SELECT a FROM t WHERE x = $1 AND y = $2");
  // SQLite numbers a bare ? after the largest so far.
  CHECK(postgres_placeholders("UPDATE k SET s = ?, c = CASE WHEN ?2 = '' THEN c ELSE ?2 END "
                              "WHERE id = ?3") ==
        "UPDATE k SET s = $1, c = CASE WHEN $2 = '' THEN c ELSE $2 END WHERE id = $3");
  CHECK(postgres_placeholders("SELECT '?', 'it''s ?' WHERE a = ?") ==
        "SELECT '?', 'it''s ?' WHERE a = $1");
  CHECK(postgres_placeholders("BEGIN") == "BEGIN");
}

TEST_CASE("store on PostgreSQL: a URL's password stays out of what the store says") {
  CHECK(redacted_url("postgresql://baikal:s3cret@db.example:5432/b") ==
        "postgresql://baikal:***@db.example:5432/b");
  CHECK(redacted_url("postgresql://baikal@db.example/b") == "postgresql://baikal@db.example/b");
  CHECK(redacted_url("postgresql:///b?host=/tmp/pg") == "postgresql:///b?host=/tmp/pg");
  auto refused = session_store::open("postgresql://baikal:s3cret@127.0.0.1:1/nowhere");
  REQUIRE_FALSE(refused);
  auto msg = message_of(refused.error());
  CHECK(msg.find("cannot open the store postgresql://baikal:***@127.0.0.1:1/nowhere") == 0);
  CHECK(msg.find("s3cret") == std::string::npos);
}

TEST_CASE("store on PostgreSQL: a database that restarts fails the writes while it is down, "
          "then the store carries on with what was committed") {
  test::postgres_place place;
  auto store = session_store::open(place.location);
  REQUIRE_MESSAGE(store, test::why(store));
  auto& db = **store;
  scheduled_session s;
  s.id = "s1";
  s.user_uuid = "u1";
  REQUIRE_FALSE(db.insert_session(s, session_status::pending, "waiting"));
  auto* server = test::shared_postgres_server();
  REQUIRE(server);
  server->stop_immediate();
  auto down = db.set_session_status("s1", session_status::scheduled, "placed");
  REQUIRE(down);
  CHECK(message_of(down).find("PostgreSQL") != std::string::npos);
  std::string why;
  REQUIRE_MESSAGE(server->restart(&why), why);
  // The connection is made again: the next write and read succeed.
  auto again = db.set_session_status("s1", session_status::scheduled, "placed");
  REQUIRE_MESSAGE(!again, message_of(again));
  auto rec = db.get_session("s1");
  REQUIRE_MESSAGE(rec, test::why(rec));
  CHECK(rec->status == session_status::scheduled);
  CHECK(rec->status_reason == "placed");
}

namespace {

using namespace std::chrono_literals;

/// A standby in a thread of its own: it waits in open_leading until it leads.
struct standby {
  std::atomic<int> waits{0};
  std::atomic<bool> leads{false};
  std::string last_why; ///< read after the thread ended
  caf::expected<std::unique_ptr<session_store>> store{caf::error{}};
  std::thread thread;

  standby(const std::string& url, lead_settings lead) {
    thread = std::thread{[this, url, lead] {
      store = session_store::open_leading(url, lead, [this](const std::string& why) {
        last_why = why;
        ++waits;
      });
      leads = true;
    }};
  }
  ~standby() {
    if (thread.joinable())
      thread.join();
  }
};

lead_settings lead_as(const std::string& who) {
  lead_settings lead;
  lead.who = who;
  lead.lease = 1000ms;
  lead.retry = 100ms;
  return lead;
}

} // namespace

TEST_CASE("store on PostgreSQL: one manager leads a shared store at a time, and a standby takes "
          "the lead when the leader's connection ends, one epoch later") {
  test::postgres_place place;
  int waited = 0;
  auto first = session_store::open_leading(place.location, lead_as("manager-a"),
                                           [&](const std::string&) { ++waited; });
  REQUIRE_MESSAGE(first, test::why(first));
  CHECK(waited == 0);
  CHECK((*first)->epoch() == 1);
  standby second{place.location, lead_as("manager-b")};
  REQUIRE(test::eventually([&] { return second.waits >= 2; }, 10s));
  CHECK_FALSE(second.leads);
  first->reset(); // the leader dies: its connection ends, and its lock with it
  auto gone = std::chrono::steady_clock::now();
  REQUIRE(test::eventually([&] { return second.leads.load(); }, 10s));
  second.thread.join();
  CHECK(std::chrono::steady_clock::now() - gone < 3s);
  CHECK(second.last_why == "manager-a leads the store (epoch 1)");
  REQUIRE_MESSAGE(second.store, test::why(second.store));
  auto& db = **second.store;
  CHECK(db.epoch() == 2);
  auto now = db.leader();
  REQUIRE(now);
  CHECK(now->leader == "manager-b");
  scheduled_session s;
  s.id = "s1";
  CHECK_FALSE(db.insert_session(s, session_status::pending, "waiting"));
  CHECK_FALSE(db.keep_leading());
}

TEST_CASE("store on PostgreSQL: a leader silent for longer than its lease loses the lead to a "
          "standby, and what it writes after is refused") {
  test::postgres_place place;
  auto first =
      session_store::open_leading(place.location, lead_as("manager-a"), [](const std::string&) {});
  REQUIRE_MESSAGE(first, test::why(first));
  auto& stale = **first;
  scheduled_session s;
  s.id = "s1";
  REQUIRE_FALSE(stale.insert_session(s, session_status::pending, "waiting"));
  // As a paused process: no keep_leading for longer than the lease. The server ends its
  // session, the lock goes with it, and the standby takes the lead.
  standby second{place.location, lead_as("manager-b")};
  REQUIRE(test::eventually([&] { return second.leads.load(); }, 10s));
  second.thread.join();
  REQUIRE_MESSAGE(second.store, test::why(second.store));
  auto& db = **second.store;
  CHECK(db.epoch() == 2);
  // The deposed leader comes back: nothing it does succeeds, and it says why.
  auto refused = stale.set_session_status("s1", session_status::scheduled, "stale");
  REQUIRE(refused);
  auto again = stale.set_session_status("s1", session_status::scheduled, "stale");
  REQUIRE(again);
  CHECK(message_of(again).find("no longer leads the store") != std::string::npos);
  CHECK(stale.keep_leading());
  auto rec = db.get_session("s1");
  REQUIRE(rec);
  CHECK(rec->status == session_status::pending);
  CHECK_FALSE(db.set_session_status("s1", session_status::scheduled, "placed"));
}

TEST_CASE("store on PostgreSQL: the leader rides out a database restart in the same epoch") {
  test::postgres_place place;
  auto first =
      session_store::open_leading(place.location, lead_as("manager-a"), [](const std::string&) {});
  REQUIRE_MESSAGE(first, test::why(first));
  auto& db = **first;
  auto* server = test::shared_postgres_server();
  REQUIRE(server);
  server->stop_immediate();
  CHECK(db.keep_leading()); // the database is down
  std::string why;
  REQUIRE_MESSAGE(server->restart(&why), why);
  auto kept = db.keep_leading();
  CHECK_MESSAGE(!kept, message_of(kept));
  CHECK(db.epoch() == 1);
  scheduled_session s;
  s.id = "s1";
  CHECK_FALSE(db.insert_session(s, session_status::pending, "waiting"));
}
