// The store (SQLite, and PostgreSQL where BAIKAL_STORE_TEST runs a case on both) keeps sessions,
// kernels, status history, error info and network ids, and a store reopened on the same file (a
// restarted manager) finds every session as it was.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "messages/errors.hpp"
#include "runtime/store/session_store.hpp"
#include "support/store_places.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;

using baikal::test::temp_dir;

namespace {

scheduled_session two_kernel_session() {
  scheduled_session s;
  s.id = "s1";
  s.name = "train";
  s.user_uuid = "u1";
  s.access_key = "AKIA";
  s.mode = cluster_mode::multi_node;
  s.cluster_size = 2;
  s.environ = {{"A", "1"}};
  s.mounts = {{"/data", "/home/work/data", "ro"}};
  s.kernels = {{"k1",
                "a1",
                "tcp://10.0.0.1:6001",
                "img",
                "x86_64",
                cluster_role::main,
                1,
                0,
                "main1",
                {{"cpu", 1}},
                1000,
                1000},
               {"k2",
                "a2",
                "tcp://10.0.0.2:6001",
                "img",
                "x86_64",
                cluster_role::sub,
                1,
                0,
                "sub1",
                {{"cpu", 1}},
                1000,
                1000}};
  return s;
}

} // namespace

BAIKAL_STORE_TEST(reopened_store_finds_session, "a reopened store finds a session as it was") {
  Place place;
  auto file = place.location;
  {
    auto store = session_store::open(file);
    REQUIRE(store);
    auto& db = **store;
    REQUIRE_FALSE(db.insert_session(two_kernel_session(), session_status::scheduled, "scheduled"));
    REQUIRE_FALSE(db.set_session_status("s1", session_status::preparing, "pulling images"));
    REQUIRE_FALSE(db.update_session_network_id("s1", "overlay-123"));
    REQUIRE_FALSE(db.update_session_error_info("s1", R"({"error":{"src":"other"}})"));
    REQUIRE_FALSE(db.set_kernel_status("k2", kernel_status::running, "c0ffee"));
    REQUIRE_FALSE(db.upsert_agent({"a1",
                                   "tcp://10.0.0.1:6001",
                                   agent_status::alive,
                                   "default",
                                   {{"cpu", 4}},
                                   1700000000000,
                                   {}}));
  }
  auto store = session_store::open(file);
  REQUIRE(store);
  auto& db = **store;
  auto rec = db.get_session("s1");
  REQUIRE(rec);
  CHECK(rec->status == session_status::preparing);
  CHECK(rec->network_id == "overlay-123");
  CHECK(rec->status_data == R"({"error":{"src":"other"}})");
  CHECK(rec->status_reason == "pulling images"); // the last transition's
  CHECK(rec->spec.name == "train");
  CHECK(rec->spec.mode == cluster_mode::multi_node);
  CHECK(rec->spec.environ.at("A") == "1");
  CHECK(rec->spec.mounts.at(0).mode == "ro");
  REQUIRE(rec->spec.kernels.size() == 2);
  CHECK(rec->spec.kernels[1].agent_addr == "tcp://10.0.0.2:6001");
  REQUIRE(rec->kernels.size() == 2);
  CHECK(rec->kernels[0].id == "k1");
  CHECK(rec->kernels[0].status == kernel_status::scheduled);
  CHECK(rec->kernels[1].status == kernel_status::running);
  CHECK(rec->kernels[1].container_id == "c0ffee");
  auto history = db.status_history("s1");
  REQUIRE(history);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].status == session_status::scheduled);
  CHECK((*history)[1].status == session_status::preparing);
  CHECK((*history)[1].reason == "pulling images");
  auto agents = db.list_agents();
  REQUIRE(agents);
  REQUIRE(agents->size() == 1);
  CHECK(agents->front().capacity.at("cpu") == 4);
  auto all = db.list_sessions();
  REQUIRE(all);
  CHECK(all->size() == 1);
}

BAIKAL_STORE_TEST(unknown_and_duplicate_sessions,
                  "unknown sessions are not_found and duplicates are refused") {
  Place place;
  auto store = session_store::open(place.location);
  REQUIRE(store);
  auto& db = **store;
  CHECK(code_of(db.get_session("nope").error()) == errc::not_found);
  CHECK(code_of(db.update_session_network_id("nope", "n")) == errc::not_found);
  CHECK(code_of(db.update_session_error_info("nope", "{}")) == errc::not_found);
  CHECK(code_of(db.set_session_status("nope", session_status::error, "x")) == errc::not_found);
  REQUIRE_FALSE(db.insert_session(two_kernel_session(), session_status::scheduled, ""));
  CHECK(db.insert_session(two_kernel_session(), session_status::scheduled, ""));
  // the failed insert rolled back as a whole: the first one's history is untouched
  CHECK(db.status_history("s1")->size() == 1);
}

TEST_CASE("store: an unwritable path fails cleanly") {
  auto store = session_store::open("/nonexistent-dir/sub/m.db");
  CHECK_FALSE(store);
}

BAIKAL_STORE_TEST(kernel_status_keeps_container,
                  "a kernel status without a container id keeps the recorded container") {
  Place place;
  auto store = session_store::open(place.location);
  REQUIRE(store);
  auto& db = **store;
  REQUIRE_FALSE(db.insert_session(two_kernel_session(), session_status::running, "running"));
  REQUIRE_FALSE(db.set_kernel_status("k1", kernel_status::running, "c0ffee"));
  REQUIRE_FALSE(db.set_kernel_status("k1", kernel_status::terminated, ""));
  REQUIRE_FALSE(db.set_kernel_status("k2", kernel_status::running, "first"));
  REQUIRE_FALSE(
      db.set_kernel_status("k2", kernel_status::running, "second")); // restarted: a new container
  auto rec = db.get_session("s1");
  REQUIRE(rec);
  REQUIRE(rec->kernels.size() == 2);
  CHECK(rec->kernels[0].status == kernel_status::terminated);
  CHECK(rec->kernels[0].container_id == "c0ffee");
  CHECK(rec->kernels[1].container_id == "second");
}

TEST_CASE("store: statuses and roles are stored by name") {
  temp_dir dir;
  auto file = (dir.path / "m.db").string();
  {
    auto store = session_store::open(file);
    REQUIRE(store);
    auto& db = **store;
    REQUIRE_FALSE(db.insert_session(two_kernel_session(), session_status::pending, "waiting"));
    REQUIRE_FALSE(db.set_session_status("s1", session_status::preparing, "pulling images"));
    REQUIRE_FALSE(db.set_kernel_status("k2", kernel_status::running, "c0ffee"));
    REQUIRE_FALSE(db.upsert_agent({"a1",
                                   "tcp://10.0.0.1:6001",
                                   agent_status::lost,
                                   "default",
                                   {{"cpu", 4}},
                                   1700000000000,
                                   {}}));
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
  auto column = [raw](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &s, nullptr) == SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    return out;
  };
  using names = std::vector<std::string>;
  CHECK(column("SELECT status FROM sessions") == names{"PREPARING"});
  CHECK(column("SELECT status FROM session_status_history ORDER BY seq") ==
        names{"PENDING", "PREPARING"});
  CHECK(column("SELECT status FROM kernels ORDER BY id") == names{"PENDING", "RUNNING"});
  CHECK(column("SELECT cluster_role FROM kernels ORDER BY id") == names{"main", "sub"});
  CHECK(column("SELECT status FROM agents") == names{"LOST"});
  sqlite3_close(raw);
}

TEST_CASE("store: a status the store does not know is an error, not a default") {
  temp_dir dir;
  auto file = (dir.path / "m.db").string();
  {
    auto store = session_store::open(file);
    REQUIRE(store);
    REQUIRE_FALSE((*store)->insert_session(two_kernel_session(), session_status::pending, ""));
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "UPDATE kernels SET status = 'SLEEPING' WHERE id = 'k2'", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto store = session_store::open(file);
  REQUIRE(store);
  auto rec = (*store)->get_session("s1");
  REQUIRE_FALSE(rec);
  CHECK(message_of(rec.error()).find("SLEEPING") != std::string::npos);
}

BAIKAL_STORE_TEST(sessions_of_a_user_in_pages,
                  "a user's sessions list by status and in pages after an id, oldest first") {
  Place place;
  auto store = session_store::open(place.location);
  REQUIRE(store);
  auto& db = **store;
  // Five of u1's sessions (two of them RUNNING) and one of u2's.
  for (int i = 1; i <= 6; ++i) {
    auto s = two_kernel_session();
    s.id = "s" + std::to_string(i);
    s.user_uuid = i == 6 ? "u2" : "u1";
    s.kernels[0].id = "k" + std::to_string(i) + "a";
    s.kernels[1].id = "k" + std::to_string(i) + "b";
    REQUIRE_FALSE(db.insert_session(s, session_status::pending, ""));
    if (i == 2 || i == 4)
      REQUIRE_FALSE(db.set_session_status(s.id, session_status::running, "started"));
  }
  auto ids = [](const caf::expected<std::vector<session_record>>& recs) {
    REQUIRE(recs);
    std::vector<std::string> out;
    for (auto& r : *recs)
      out.push_back(r.spec.id);
    return out;
  };
  using v = std::vector<std::string>;
  CHECK(ids(db.list_sessions_of("u1")) == v{"s1", "s2", "s3", "s4", "s5"});
  session_page first;
  first.limit = 2;
  CHECK(ids(db.list_sessions_of("u1", first)) == v{"s1", "s2"});
  auto second = first;
  second.after = "s2";
  CHECK(ids(db.list_sessions_of("u1", second)) == v{"s3", "s4"});
  second.after = "s4";
  CHECK(ids(db.list_sessions_of("u1", second)) == v{"s5"});
  session_page running;
  running.by_status = true;
  running.status = session_status::running;
  CHECK(ids(db.list_sessions_of("u1", running)) == v{"s2", "s4"});
  running.after = "s2";
  CHECK(ids(db.list_sessions_of("u1", running)) == v{"s4"});
  // Another user's session is no place to start from.
  session_page foreign;
  foreign.after = "s6";
  auto refused = db.list_sessions_of("u1", foreign);
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::not_found);
}

BAIKAL_STORE_TEST(service_ports_kept,
                  "the main kernel's service ports are kept with the session, replaced when "
                  "reported again, and found by a reopened store") {
  Place place;
  auto file = place.location;
  {
    auto store = session_store::open(file);
    REQUIRE(store);
    auto& db = **store;
    REQUIRE_FALSE(db.insert_session(two_kernel_session(), session_status::running, ""));
    auto before = db.get_session("s1");
    REQUIRE(before);
    CHECK(before->service_ports.empty());
    REQUIRE_FALSE(db.set_service_ports("s1", {{"jupyter", "http", {8888}, {30001}}}));
    REQUIRE_FALSE(db.set_service_ports("s1", {{"httpd", "http", {8080}, {30002}}}));
  }
  auto store = session_store::open(file);
  REQUIRE(store);
  auto rec = (*store)->get_session("s1");
  REQUIRE(rec);
  REQUIRE(rec->service_ports.size() == 1);
  CHECK(rec->service_ports[0].name == "httpd");
  CHECK(rec->service_ports[0].container_ports == std::vector<uint16_t>{8080});
}

BAIKAL_STORE_TEST(moves_in_one_write,
                  "a session's step moves and binds it in one write, each move in its history") {
  Place place;
  auto store = session_store::open(place.location);
  REQUIRE(store);
  auto& db = **store;
  auto s = two_kernel_session();
  REQUIRE_FALSE(db.insert_session(s, session_status::pending, "waiting"));
  auto bound = s;
  bound.kernels[0].agent = "a7";
  bound.kernels[1].agent = "a8";
  // Inside a batch, as the store actor writes: an unknown session fails alone.
  REQUIRE_FALSE(db.begin_batch());
  CHECK(code_of(db.move_session("nope", {{session_status::error, "x", 1}}, nullptr)) ==
        errc::not_found);
  REQUIRE_FALSE(db.move_session("s1",
                                {{session_status::scheduled, "bound to a7, a8", 1000},
                                 {session_status::preparing, "pulls triggered", 1001}},
                                &bound));
  REQUIRE_FALSE(db.move_session("s1",
                                {{session_status::prepared, "images ready", 1002},
                                 {session_status::creating, "creating 2 kernels", 1003}},
                                nullptr));
  REQUIRE_FALSE(db.commit_batch());
  CHECK(code_of(db.move_session("s1", {}, nullptr)) == errc::invalid_argument);
  auto rec = db.get_session("s1");
  REQUIRE(rec);
  CHECK(rec->status == session_status::creating);
  CHECK(rec->status_reason == "creating 2 kernels");
  REQUIRE(rec->kernels.size() == 2);
  CHECK(rec->kernels[0].agent == "a7");
  CHECK(rec->kernels[1].agent == "a8");
  CHECK(rec->spec.kernels[1].agent == "a8");
  auto history = db.status_history("s1");
  REQUIRE(history);
  REQUIRE(history->size() == 5);
  CHECK((*history)[1].status == session_status::scheduled);
  CHECK((*history)[1].at_ms == 1000);
  CHECK((*history)[2].status == session_status::preparing);
  CHECK((*history)[3].reason == "images ready");
  CHECK((*history)[4].status == session_status::creating);
  CHECK(db.get_session("nope").error());
}
