// What is particular to the PostgreSQL store: the store's SQL rewritten for it, a URL's password
// kept out of messages, and a database restart that the store rides out. What both stores do
// alike is tested once for both (BAIKAL_STORE_TEST).

#include <doctest/doctest.h>

#include "runtime/store/postgres_connection.hpp"
#include "runtime/store/session_store.hpp"
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
