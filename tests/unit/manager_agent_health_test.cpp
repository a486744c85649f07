// The manager and an agent whose Docker engine went away: the agent's heartbeats say it is
// unhealthy, the manager shows it and places nothing there until it is healthy again; a kernel
// whose container was lost ends its session in ERROR with the reason in status_data.

#include <doctest/doctest.h>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

const resource_slots capacity{{"cpu", 8}, {"mem", 8e9}};

agent_record record_of(manager_fixture& f, const agent_id& id) {
  auto agents = f.ask<std::vector<agent_view>>(f.m.front, api::list_agents{});
  REQUIRE_MESSAGE(agents, why(agents));
  for (auto& a : *agents)
    if (a.record.id == id)
      return a.record;
  FAIL("agent " << id << " is not listed");
  return {};
}

std::string metrics(manager_fixture& f) {
  auto text = f.ask<std::string>(f.m.front, api::get_metrics{});
  REQUIRE_MESSAGE(text, why(text));
  return *text;
}

bool waits_for_an_agent(manager_fixture& f, const session_id& id) {
  for (auto& change : f.history(id))
    if (change.status == session_status::pending &&
        change.reason.find("no ALIVE agent") != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "manager: an unhealthy agent is listed so and gets no "
                                   "session until a heartbeat says it is healthy again") {
  start();
  join("a1", capacity);
  const std::string why_not = "cannot reach the Docker engine at unix:///run/x.sock: refused";
  REQUIRE(ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"a1", capacity, why_not}));
  REQUIRE(eventually([&] { return record_of(*this, "a1").unhealthy == why_not; }));
  CHECK(record_of(*this, "a1").status == agent_status::alive);
  CHECK(metrics(*this).find("baikal_agents_unhealthy 1") != std::string::npos);

  auto id = create(request());
  REQUIRE(eventually([&] { return waits_for_an_agent(*this, id); }));
  CHECK(status_of(id) == "PENDING");

  REQUIRE(ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"a1", capacity, ""}));
  CHECK(reaches(id, "RUNNING"));
  CHECK(record_of(*this, "a1").unhealthy.empty());
  CHECK(metrics(*this).find("baikal_agents_unhealthy 0") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "manager: an agent that registers unhealthy gets no session") {
  start();
  auto log = std::make_shared<fake_agent_log>();
  auto handle = spawn_fake_agent(*sys, "a1", log);
  agents.push_back(caf::actor_cast<caf::actor>(handle));
  auto reg = ask<agent_registration>(
      m.registry, op::register_agent{
                      "a1", "tcp://127.0.0.1:6001", "default", capacity, {}, handle, {}, "away"});
  REQUIRE_MESSAGE(reg, why(reg));
  log->with([&](fake_agent_log& l) { return l.sink = reg->events; });
  auto id = create(request());
  REQUIRE(eventually([&] { return waits_for_an_agent(*this, id); }));
  REQUIRE(ask<heartbeat_reply>(m.registry, op::agent_heartbeat{"a1", capacity, ""}));
  CHECK(reaches(id, "RUNNING"));
}

TEST_CASE_FIXTURE(manager_fixture,
                  "manager: a kernel that lost its container ends its session "
                  "in ERROR with container-lost and the exit code in status_data") {
  start();
  auto log = join("a1", capacity);
  auto id = create(request());
  REQUIRE(reaches(id, "RUNNING"));
  auto rec = get(id);
  REQUIRE(rec);
  auto kernel = rec->kernels.front().id;
  auto sink = log->with([&](fake_agent_log& l) {
    l.running.erase(kernel);
    return l.sink;
  });
  caf::anon_send(sink, kernel_terminated_event{{kernel, id, "a1", "container-lost"}, 137});
  REQUIRE(reaches(id, "ERROR"));
  auto ended = get(id);
  REQUIRE(ended);
  CHECK_MESSAGE(ended->status_data.find("container-lost, exit code 137") != std::string::npos,
                ended->status_data);
  CHECK(ended->status_data.find("a1") != std::string::npos);
}
