// The scheduler's placement as a plain function: concentrated fills one agent first, dispersed
// spreads, single-node clusters stay on one agent, and a session that fits nowhere is told why.

#include <doctest/doctest.h>

#include "actors/manager/scheduler.hpp"
#include "messages/errors.hpp"

using namespace baikal;
using namespace baikal::sched;

namespace {

agent_slots agent(const agent_id& id, double cpu, const std::string& group = "default",
                  bool alive = true) {
  return {id, "tcp://" + id + ":6001", group, alive, {{"cpu", cpu}, {"mem", 16e9}}, {}};
}

demand one_cpu(uint32_t size = 1, cluster_mode mode = cluster_mode::single_node) {
  return {"default", mode, size, {{"cpu", 1}, {"mem", 1e9}}};
}

/// Places `n` one-kernel sessions one after the other, each using what the previous took.
std::vector<agent_id> place_many(std::vector<agent_slots> agents, size_t n, policy p) {
  std::vector<agent_id> out;
  for (size_t i = 0; i < n; ++i) {
    auto placed = place(one_cpu(), agents, p);
    REQUIRE(placed.placed());
    out.push_back(placed.agents.front());
    for (auto& a : agents)
      if (a.id == placed.agents.front())
        accumulate(a.used, {{"cpu", 1}, {"mem", 1e9}});
  }
  return out;
}

} // namespace

TEST_CASE("manager scheduler: concentrated fills one agent before the next") {
  auto placed = place_many({agent("a1", 2), agent("a2", 2)}, 4, policy::concentrated);
  CHECK(placed == std::vector<agent_id>{"a1", "a1", "a2", "a2"});
}

TEST_CASE("manager scheduler: dispersed spreads kernels over the agents") {
  auto placed = place_many({agent("a1", 2), agent("a2", 2)}, 4, policy::dispersed);
  CHECK(placed == std::vector<agent_id>{"a1", "a2", "a1", "a2"});
}

TEST_CASE("manager scheduler: a single-node cluster goes on one agent with room for all") {
  // a1 cannot hold three kernels; a2 can.
  auto p = place(one_cpu(3), {agent("a1", 2), agent("a2", 4)}, policy::concentrated);
  REQUIRE(p.placed());
  CHECK(p.agents == std::vector<agent_id>{"a2", "a2", "a2"});
}

TEST_CASE("manager scheduler: a multi-node cluster is placed kernel by kernel") {
  auto concentrated = place(one_cpu(3, cluster_mode::multi_node), {agent("a1", 2), agent("a2", 2)},
                            policy::concentrated);
  CHECK(concentrated.agents == std::vector<agent_id>{"a1", "a1", "a2"});
  auto dispersed = place(one_cpu(3, cluster_mode::multi_node), {agent("a1", 2), agent("a2", 2)},
                         policy::dispersed);
  CHECK(dispersed.agents == std::vector<agent_id>{"a1", "a2", "a1"});
}

TEST_CASE("manager scheduler: not enough capacity leaves the session unplaced with a reason") {
  auto p = place(one_cpu(3), {agent("a1", 2), agent("a2", 2)}, policy::concentrated);
  CHECK_FALSE(p.placed());
  CHECK(p.reason.find("not enough free resources in scaling group 'default'") != std::string::npos);
  CHECK(p.reason.find("on one agent") != std::string::npos);
}

TEST_CASE("manager scheduler: only ALIVE agents of the session's scaling group count") {
  auto p = place(one_cpu(), {agent("lost", 8, "default", false), agent("gpu", 8, "gpu")},
                 policy::concentrated);
  CHECK_FALSE(p.placed());
  CHECK(p.reason == "no ALIVE agent in scaling group 'default'");
}

TEST_CASE(
    "manager scheduler: bind_kernels writes agents, addresses and local ranks into the session") {
  scheduled_session s;
  s.kernels.resize(3);
  std::vector<agent_slots> agents{agent("a1", 2), agent("a2", 2)};
  bind_kernels(s, placement{{"a1", "a1", "a2"}, ""}, agents);
  CHECK(s.kernels[0].agent == "a1");
  CHECK(s.kernels[1].local_rank == 1);
  CHECK(s.kernels[2].agent_addr == "tcp://a2:6001");
  CHECK(s.kernels[2].local_rank == 0);
}

TEST_CASE("manager scheduler: an unknown policy is refused with the valid names") {
  auto p = policy_from("random");
  REQUIRE_FALSE(p);
  CHECK(code_of(p.error()) == errc::invalid_argument);
  CHECK(message_of(p.error()).find("'concentrated' or 'dispersed'") != std::string::npos);
}
