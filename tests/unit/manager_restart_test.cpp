// A manager restarted on the same store finds every session as it was: a RUNNING session stays
// RUNNING and is reconciled when its agent registers, a PENDING one is scheduled when agents
// join, and finished ones keep their history; on SQLite and on PostgreSQL alike.

#include <doctest/doctest.h>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// The whole scenario, on whichever store `f` keeps its sessions in.
void sessions_found_as_they_were(manager_fixture& f) {
  f.start();
  auto a1 = f.join("a1", {{"cpu", 2}, {"mem", 8e9}});
  auto running = f.create(f.request());
  REQUIRE(f.reaches(running, "RUNNING"));
  auto ended = f.create(f.request());
  REQUIRE(f.reaches(ended, "RUNNING"));
  REQUIRE(f.ask<ack>(f.m.front, api::terminate_session{"alice", ended}));
  REQUIRE(f.reaches(ended, "TERMINATED"));
  auto pending = f.create(f.request("alice", 2)); // one cpu is taken: it waits
  REQUIRE(eventually([&] { return f.history(pending).size() == 2; }));
  auto before = f.get(running);
  REQUIRE(before);
  auto ended_history = f.statuses(ended);

  f.stop();
  f.start();

  // Before any agent is back, everything reads as it was.
  auto after = f.get(running);
  REQUIRE(after);
  CHECK(after->status == session_status::running);
  CHECK(after->kernels[0].container_id == before->kernels[0].container_id);
  CHECK(after->spec.kernels[0].agent == "a1");
  CHECK(f.status_of(ended) == "TERMINATED");
  CHECK(f.statuses(ended) == ended_history);
  CHECK(f.status_of(pending) == "PENDING");
  auto agents_now = f.ask<std::vector<agent_view>>(f.m.front, api::list_agents{});
  REQUIRE(agents_now);
  REQUIRE(agents_now->size() == 1);
  CHECK(agents_now->front().record.status == agent_status::lost); // until it registers again

  // The agent comes back: reconciled with the running session's kernel, which it still runs.
  auto again = spawn_fake_agent(*f.sys, "a1", a1);
  f.agents.push_back(caf::actor_cast<caf::actor>(again));
  auto sink = f.register_agent("a1", again, {{"cpu", 4}, {"mem", 8e9}});
  a1->with([&](fake_agent_log& l) { return l.sink = sink; });
  REQUIRE(
      eventually([&] { return a1->with([](fake_agent_log& l) { return l.syncs.size(); }) == 2; }));
  auto synced = a1->with([](fake_agent_log& l) { return l.syncs.back(); });
  REQUIRE(synced.size() == 1);
  CHECK(synced[0].kernel == before->kernels[0].id);
  // With the bigger capacity the pending session fits now.
  REQUIRE(f.reaches(pending, "RUNNING"));
  CHECK(f.status_of(running) == "RUNNING");
  CHECK(f.ask<kernel_route>(f.m.front, api::main_kernel{"alice", running}));
}

/// The manager with its store in a fresh database of the private PostgreSQL server.
} // namespace

TEST_CASE_FIXTURE(manager_fixture, "manager restart: sessions are found as they were, and live "
                                   "ones carry on") {
  sessions_found_as_they_were(*this);
}

TEST_CASE_FIXTURE(manager_on_postgres, "manager restart on PostgreSQL: sessions are found as they "
                                       "were, and live ones carry on") {
  sessions_found_as_they_were(*this);
}
