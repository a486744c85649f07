// A manager restarted on the same store finds every session as it was: a RUNNING session stays
// RUNNING and is reconciled when its agent registers, a PENDING one is scheduled when agents
// join, and finished ones keep their history.

#include <doctest/doctest.h>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

TEST_CASE_FIXTURE(manager_fixture, "manager restart: sessions are found as they were, and live "
                                   "ones carry on") {
  start();
  auto a1 = join("a1", {{"cpu", 2}, {"mem", 8e9}});
  auto running = create(request());
  REQUIRE(reaches(running, "RUNNING"));
  auto ended = create(request());
  REQUIRE(reaches(ended, "RUNNING"));
  REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", ended}));
  REQUIRE(reaches(ended, "TERMINATED"));
  auto pending = create(request("alice", 2)); // one cpu is taken: it waits
  REQUIRE(eventually([&] { return history(pending).size() == 2; }));
  auto before = get(running);
  REQUIRE(before);
  auto ended_history = statuses(ended);

  stop();
  start();

  // Before any agent is back, everything reads as it was.
  auto after = get(running);
  REQUIRE(after);
  CHECK(after->status == session_status::running);
  CHECK(after->kernels[0].container_id == before->kernels[0].container_id);
  CHECK(after->spec.kernels[0].agent == "a1");
  CHECK(status_of(ended) == "TERMINATED");
  CHECK(statuses(ended) == ended_history);
  CHECK(status_of(pending) == "PENDING");
  auto agents_now = ask<std::vector<agent_view>>(m.front, api::list_agents{});
  REQUIRE(agents_now);
  REQUIRE(agents_now->size() == 1);
  CHECK(agents_now->front().record.status == agent_status::lost); // until it registers again

  // The agent comes back: reconciled with the running session's kernel, which it still runs.
  auto again = spawn_fake_agent(*sys, "a1", a1);
  agents.push_back(caf::actor_cast<caf::actor>(again));
  auto sink = register_agent("a1", again, {{"cpu", 4}, {"mem", 8e9}});
  a1->with([&](fake_agent_log& l) { return l.sink = sink; });
  REQUIRE(
      eventually([&] { return a1->with([](fake_agent_log& l) { return l.syncs.size(); }) == 2; }));
  auto synced = a1->with([](fake_agent_log& l) { return l.syncs.back(); });
  REQUIRE(synced.size() == 1);
  CHECK(synced[0].kernel == before->kernels[0].id);
  // With the bigger capacity the pending session fits now.
  REQUIRE(reaches(pending, "RUNNING"));
  CHECK(status_of(running) == "RUNNING");
  CHECK(ask<kernel_route>(m.front, api::main_kernel{"alice", running}));
}
