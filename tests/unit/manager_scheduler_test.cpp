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

TEST_CASE("manager scheduler: the reason names the agent closest to fitting and what it has "
          "free") {
  auto a1 = agent("a1", 4);
  a1.used = {{"cpu", 3}, {"mem", 2e9}};
  auto a2 = agent("a2", 4);
  a2.used = {{"cpu", 4}};
  auto p = place(one_cpu(2), {a1, a2}, policy::concentrated);
  REQUIRE_FALSE(p.placed());
  CHECK(p.reason == "not enough free resources in scaling group 'default' (2 ALIVE agents) for 2 "
                    "kernels of cpu=1 mem=1000000000 on one agent: the most free is cpu=1 "
                    "mem=14000000000 free on a1");
}

TEST_CASE("manager scheduler: resources are described as a person reads them") {
  CHECK(describe({{"cpu", 2}, {"mem", 268435456}}) == "cpu=2 mem=268435456");
  CHECK(describe({{"cpu", 0.5}}) == "cpu=0.5");
  CHECK(describe({}) == "no resources");
}

TEST_CASE("manager scheduler: a demand no agent could hold even idle is told apart from one that "
          "waits for room") {
  resource_slots small{{"cpu", 2}, {"mem", 16e9}};
  resource_slots big{{"cpu", 4}, {"mem", 16e9}};
  std::vector<std::pair<agent_id, const resource_slots*>> fleet{{"a1", &small}, {"a2", &big}};
  // Fits a2 when it is idle, whatever it runs now.
  CHECK(never_fits(one_cpu(4), fleet).empty());
  CHECK(never_fits(one_cpu(5), fleet) ==
        "no agent in scaling group 'default' could ever hold 5 kernels of cpu=1 mem=1000000000 on "
        "one agent: the largest, a2, has cpu=4 mem=16000000000");
  // Kernel by kernel, the fleet holds 6.
  CHECK(never_fits(one_cpu(6, cluster_mode::multi_node), fleet).empty());
  CHECK(never_fits(one_cpu(7, cluster_mode::multi_node), fleet) ==
        "the 2 agents of scaling group 'default' could hold at most 6 of the 7 kernels of cpu=1 "
        "mem=1000000000, even idle");
  // A slot no agent has.
  demand gpu{"default", cluster_mode::single_node, 1, {{"cpu", 1}, {"gpu", 1}}};
  CHECK(never_fits(gpu, fleet).find("could ever hold 1 kernel of") != std::string::npos);
  // No agent in the group yet: one may join, so the session waits.
  CHECK(never_fits(one_cpu(64), {}).empty());
  CHECK(kernels_fitting(big, {{"cpu", 1.5}}) == 2);
  CHECK(kernels_fitting(big, {}) > 1000);
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
