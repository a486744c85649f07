// The agent registry inside the manager: agents join, go LOST when their heartbeats stop or
// their handle goes down, come back ALIVE on the next heartbeat or registration, and are
// reconciled with the kernels the manager believes they run.

#include <doctest/doctest.h>

#include <thread>

#include "actors/manager/agent_registry.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// The agent's status by name, as the API spells it.
std::string status_of_agent(manager_fixture& f, const agent_id& id) {
  auto agents = f.ask<std::vector<agent_view>>(f.m.front, api::list_agents{});
  if (!agents)
    return "error";
  for (auto& a : *agents)
    if (a.record.id == id)
      return to_string(a.record.status);
  return "unknown";
}

} // namespace

TEST_CASE("manager registry: an agent is overdue after the missed heartbeat intervals") {
  registry_settings cfg;
  cfg.heartbeat_interval = std::chrono::milliseconds{100};
  cfg.missed_heartbeats_until_lost = 3;
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(is_overdue(t0, t0 + 300ms, cfg));
  CHECK(is_overdue(t0, t0 + 301ms, cfg));
}

TEST_CASE_FIXTURE(manager_fixture, "manager registry: a silent agent is LOST and ALIVE again on "
                                   "its next heartbeat") {
  settings.heartbeat_interval = 50ms;
  settings.missed_heartbeats_until_lost = 2;
  start();
  join("a1");
  CHECK(status_of_agent(*this, "a1") == "ALIVE");
  REQUIRE(eventually([&] { return status_of_agent(*this, "a1") == "LOST"; }, 10s));
  auto beat = ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"a1", {}, {}});
  REQUIRE(beat);
  CHECK(beat->known);
  CHECK(status_of_agent(*this, "a1") == "ALIVE");
  auto unknown = ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"nobody", {}, {}});
  REQUIRE(unknown);
  CHECK_FALSE(unknown->known); // it has to register
}

TEST_CASE_FIXTURE(manager_fixture, "manager registry: an agent whose handle goes down is LOST, "
                                   "registering again makes it ALIVE with the new handle") {
  start();
  auto log = std::make_shared<fake_agent_log>();
  auto first = spawn_fake_agent(*sys, "a1", log);
  register_agent("a1", first, {{"cpu", 4}, {"mem", 8e9}});
  caf::anon_send_exit(first, caf::exit_reason::kill);
  REQUIRE(eventually([&] { return status_of_agent(*this, "a1") == "LOST"; }, 10s));
  auto second = spawn_fake_agent(*sys, "a1", log);
  agents.push_back(caf::actor_cast<caf::actor>(second));
  register_agent("a1", second, {{"cpu", 4}, {"mem", 8e9}});
  CHECK(status_of_agent(*this, "a1") == "ALIVE");
  auto handle = ask<agent_actor>(m.front, api::agent_handle{"a1"});
  REQUIRE(handle);
  CHECK(*handle == second);
}

TEST_CASE_FIXTURE(manager_fixture, "manager registry: a rejoining agent is reconciled with the "
                                   "kernels of its live sessions") {
  start();
  auto a1 = join("a1");
  auto id = create(request("alice", 2));
  REQUIRE(reaches(id, "RUNNING"));
  auto rec = get(id);
  REQUIRE(rec);
  // The agent restarts with one kernel lost.
  a1->with([&](fake_agent_log& l) { return l.running.erase(rec->kernels[1].id); });
  auto again = spawn_fake_agent(*sys, "a1", a1);
  agents.push_back(caf::actor_cast<caf::actor>(again));
  register_agent("a1", again, {{"cpu", 8}, {"mem", 8e9}});
  REQUIRE(
      eventually([&] { return a1->with([](fake_agent_log& l) { return l.syncs.size(); }) == 2; }));
  auto synced = a1->with([](fake_agent_log& l) { return l.syncs.back(); });
  CHECK(synced.size() == 2);
  // The lost kernel is reported terminated, which ends the RUNNING session.
  REQUIRE(reaches(id, "TERMINATED"));
  auto agents_now = ask<std::vector<agent_view>>(m.front, api::list_agents{});
  REQUIRE(agents_now);
  REQUIRE(agents_now->size() == 1);
  CHECK(agents_now->front().used.at("cpu") == doctest::Approx(0)); // the slots are free again
}

TEST_CASE_FIXTURE(manager_fixture, "manager registry: agents are listed with their latest "
                                   "heartbeat, and a heartbeat's new capacity is scheduled on") {
  start();
  join("a1", {{"cpu", 1}, {"mem", 8e9}});
  auto first = ask<std::vector<agent_view>>(m.front, api::list_agents{});
  REQUIRE_MESSAGE(first, why(first));
  REQUIRE(first->size() == 1);
  // The agent's one CPU is taken: the next session waits for room.
  auto r = request();
  r.resources = {{"cpu", 1}, {"mem", 1e9}};
  REQUIRE(reaches(create(r), "RUNNING"));
  auto id = create(r);
  REQUIRE(reaches(id, "PENDING"));
  // The wall clock moves on between the two heartbeats (they are stamped in milliseconds).
  std::this_thread::sleep_for(5ms);
  REQUIRE(
      ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"a1", {{"cpu", 1}, {"mem", 8e9}}, {}}));
  auto second = ask<std::vector<agent_view>>(m.front, api::list_agents{});
  REQUIRE_MESSAGE(second, why(second));
  REQUIRE(second->size() == 1);
  CHECK(second->front().record.last_heartbeat_ms > first->front().record.last_heartbeat_ms);
  CHECK(status_of(id) == "PENDING");
  // More capacity in a heartbeat reaches the scheduler: the waiting session is placed.
  REQUIRE(
      ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"a1", {{"cpu", 4}, {"mem", 8e9}}, {}}));
  auto third = ask<std::vector<agent_view>>(m.front, api::list_agents{});
  REQUIRE_MESSAGE(third, why(third));
  CHECK(third->front().record.capacity.at("cpu") == 4);
  CHECK(reaches(id, "RUNNING"));
}
