// Managers that share a PostgreSQL store: one leads, another stands by in spawn_manager until
// the leader is gone, then leads with every session the leader had; a manager whose store loses
// the lead stops.

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>

#include <libpq-fe.h>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// Ends, on the server, the session of manager `who` if it holds the lead, as a network
/// partition would; answers how many it ended.
int end_leader_session(const std::string& url, const std::string& who) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> c{PQconnectdb(url.c_str()), &PQfinish};
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
  auto sql = "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a "
             "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
             "a.application_name = '" +
             who + "'";
  std::unique_ptr<PGresult, decltype(&PQclear)> r{PQexec(c.get(), sql.c_str()), &PQclear};
  REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
  return PQntuples(r.get());
}

} // namespace

TEST_CASE("manager leadership on PostgreSQL: a standby waits while one manager leads, and takes "
          "over with its sessions when the leader stops") {
  manager_on_postgres leader;
  leader.settings.lead_as = "manager-a";
  leader.settings.lead_lease = 1000ms;
  leader.start();
  leader.join("a1");
  auto id = leader.create(leader.request());
  REQUIRE(leader.reaches(id, "RUNNING"));

  manager_fixture standby;
  standby.settings.store_url = leader.settings.store_url;
  standby.settings.lead_as = "manager-b";
  standby.settings.lead_lease = 1000ms;
  std::atomic<bool> leads{false};
  std::thread waiting{[&] {
    standby.start();
    leads = true;
  }};
  std::this_thread::sleep_for(1500ms);
  CHECK_FALSE(leads);

  leader.stop();
  auto stopped = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return leads.load(); }, 10s));
  waiting.join();
  CHECK(std::chrono::steady_clock::now() - stopped < 3s);
  // It found the session as the leader left it, and its history.
  CHECK(standby.status_of(id) == "RUNNING");
  CHECK(standby.statuses(id).back() == "RUNNING");
  // The agent joins the new leader and is reconciled with the session's kernel.
  auto a1 = standby.join("a1");
  REQUIRE(
      eventually([&] { return a1->with([](fake_agent_log& l) { return l.syncs.size(); }) >= 1; }));
  REQUIRE(standby.ask<ack>(standby.m.front, api::terminate_session{"alice", id}));
  CHECK(standby.reaches(id, "TERMINATED"));
}

TEST_CASE("manager leadership on PostgreSQL: a leader that lost the lead to another manager "
          "stops instead of acting on the store") {
  manager_on_postgres leader;
  leader.settings.lead_as = "manager-a";
  leader.settings.lead_lease = 3000ms; // proves itself alive every second
  leader.start();
  caf::scoped_actor self{*leader.sys};
  self->monitor(leader.m.front);

  manager_fixture standby;
  standby.settings.store_url = leader.settings.store_url;
  standby.settings.lead_as = "manager-b";
  std::atomic<bool> leads{false};
  std::thread waiting{[&] {
    standby.start();
    leads = true;
  }};
  std::this_thread::sleep_for(500ms);
  CHECK_FALSE(leads);
  // The server ends the leader's session (as after a network partition): its lock is free,
  // the standby takes it, and the leader finds it taken when it next proves itself alive.
  // A leader that makes its connection again before the standby tries takes the lead back, in
  // the same epoch (nobody else led): cut it until the standby is first.
  CHECK(end_leader_session(leader.settings.store_url, "manager-a") == 1);
  REQUIRE(eventually(
      [&] {
        end_leader_session(leader.settings.store_url, "manager-a");
        return leads.load();
      },
      10s));
  waiting.join();
  bool stopped = false;
  self->receive([&](caf::down_msg&) { stopped = true; },
                caf::after(std::chrono::seconds{10}) >> [] {});
  CHECK(stopped);
  leader.running = false; // its front is gone already
}

TEST_CASE("manager leadership on PostgreSQL: the leader waits out a database restart and "
          "carries on in the same epoch") {
  manager_on_postgres leader;
  leader.settings.lead_as = "manager-a";
  leader.settings.lead_lease = 1000ms;
  leader.start();
  leader.join("a1");
  caf::scoped_actor self{*leader.sys};
  self->monitor(leader.m.front);
  auto before = leader.create(leader.request());
  REQUIRE(leader.reaches(before, "RUNNING"));
  auto* server = shared_postgres_server();
  REQUIRE(server);
  server->stop_immediate();
  std::this_thread::sleep_for(2500ms); // longer than the lease: several proofs of life fail
  std::string why;
  REQUIRE_MESSAGE(server->restart(&why), why);
  // Still the same manager: its front did not end, and it serves and writes again.
  bool ended = false;
  self->receive([&](caf::down_msg&) { ended = true; },
                caf::after(std::chrono::seconds{2}) >> [] {});
  CHECK_FALSE(ended);
  auto after = leader.create(leader.request());
  CHECK(leader.reaches(after, "RUNNING"));
  CHECK(leader.status_of(before) == "RUNNING");
  auto db = session_store::open(leader.settings.store_url);
  REQUIRE(db);
  auto now = (*db)->leader();
  REQUIRE(now);
  CHECK(now->epoch == 1);
  CHECK(now->leader == "manager-a");
}
