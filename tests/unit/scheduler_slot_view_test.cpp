// The slot view kept between placements answers what the plain placement function answers over
// the same agents, for both policies, both cluster modes, agents joining, leaving and freeing
// slots in between: the incremental view changes the cost of scheduling, not its decisions.

#include <doctest/doctest.h>

#include <random>

#include "actors/manager/slot_view.hpp"

using namespace baikal;
using namespace baikal::sched;

namespace {

/// The same fleet kept twice: as the plain list `place` reads and as a slot view.
struct twin_fleet {
  explicit twin_fleet(policy p) : pol(p), view(p) {}

  void set(const agent_id& id, const std::string& group, bool alive, resource_slots capacity) {
    view.set_agent(id, "tcp://" + id, group, alive, capacity);
    for (auto& a : list)
      if (a.id == id) {
        a.scaling_group = group;
        a.alive = alive;
        a.capacity = std::move(capacity);
        return;
      }
    list.push_back({id, "tcp://" + id, group, alive, std::move(capacity), {}});
    std::sort(list.begin(), list.end(), [](auto& x, auto& y) { return x.id < y.id; });
  }

  void use(const agent_id& id, const resource_slots& slots, double sign) {
    view.add_use(id, slots, sign);
    for (auto& a : list)
      if (a.id == id)
        accumulate(a.used, slots, sign);
  }

  policy pol;
  std::vector<agent_slots> list;
  slot_view view;
};

void compare_random_runs(policy pol, unsigned seed) {
  std::mt19937 rng{seed};
  twin_fleet fleet{pol};
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int i = 0; i < 12; ++i)
    fleet.set("a" + std::to_string(i), i % 3 == 0 ? "gpu" : "default", true,
              {{"cpu", 2.0 + pick(6)}, {"mem", 4e9 + 1e9 * pick(8)}});
  struct held {
    std::vector<agent_id> agents;
    resource_slots per_kernel;
  };
  std::vector<held> running;
  size_t placed = 0, refused = 0;
  for (int step = 0; step < 3000; ++step) {
    auto action = pick(10);
    if (action == 0 && !running.empty()) { // a session ends
      auto k = static_cast<size_t>(pick(static_cast<int>(running.size())));
      for (auto& a : running[k].agents)
        fleet.use(a, running[k].per_kernel, -1);
      running.erase(running.begin() + static_cast<long>(k));
      continue;
    }
    if (action == 1) { // an agent is lost, comes back or changes size
      auto id = "a" + std::to_string(pick(12));
      fleet.set(id, std::stoi(id.substr(1)) % 3 == 0 ? "gpu" : "default", pick(4) != 0,
                {{"cpu", 2.0 + pick(6)}, {"mem", 4e9 + 1e9 * pick(8)}});
      continue;
    }
    demand d{pick(5) == 0 ? "gpu" : "default",
             pick(3) == 0 ? cluster_mode::multi_node : cluster_mode::single_node,
             static_cast<uint32_t>(1 + pick(3)),
             {{"cpu", 0.5 * (1 + pick(4))}, {"mem", 0.25e9 * (1 + pick(8))}}};
    auto expected = place(d, fleet.list, pol);
    auto got = fleet.view.place(d);
    REQUIRE(got.agents == expected.agents);
    REQUIRE(got.reason == expected.reason);
    if (!got.placed()) {
      ++refused;
      continue;
    }
    ++placed;
    for (auto& a : got.agents)
      fleet.use(a, d.per_kernel, 1);
    running.push_back({got.agents, d.per_kernel});
  }
  // Both outcomes were exercised, so the comparison covered placements and refusals.
  CHECK(placed > 100);
  CHECK(refused > 100);
}

} // namespace

TEST_CASE("scheduler slot view: concentrated places as the plain function does") {
  for (unsigned seed = 1; seed <= 5; ++seed)
    compare_random_runs(policy::concentrated, seed);
}

TEST_CASE("scheduler slot view: dispersed places as the plain function does") {
  for (unsigned seed = 1; seed <= 5; ++seed)
    compare_random_runs(policy::dispersed, seed);
}

TEST_CASE("scheduler slot view: binding writes each kernel's agent, address and local rank") {
  slot_view view{policy::concentrated};
  view.set_agent("a1", "tcp://a1:6001", "default", true, {{"cpu", 2}});
  view.set_agent("a2", "tcp://a2:6001", "default", true, {{"cpu", 2}});
  auto p = view.place({"default", cluster_mode::multi_node, 3, {{"cpu", 1}}});
  REQUIRE(p.agents == std::vector<agent_id>{"a1", "a1", "a2"});
  scheduled_session s;
  s.kernels.resize(3);
  view.bind(s, p);
  CHECK(s.kernels[1].agent == "a1");
  CHECK(s.kernels[1].local_rank == 1);
  CHECK(s.kernels[2].agent_addr == "tcp://a2:6001");
  CHECK(s.kernels[2].local_rank == 0);
  // The placement alone took nothing: the same demand is placed the same way again.
  CHECK(view.place({"default", cluster_mode::multi_node, 3, {{"cpu", 1}}}).agents == p.agents);
  CHECK(view.used("a1").empty());
}

TEST_CASE("scheduler slot view: lost agents and unknown groups are refused with the reason") {
  slot_view view{policy::dispersed};
  view.set_agent("a1", "tcp://a1:6001", "default", false, {{"cpu", 2}});
  auto p = view.place({"default", cluster_mode::single_node, 1, {{"cpu", 1}}});
  CHECK_FALSE(p.placed());
  CHECK(p.reason == "no ALIVE agent in scaling group 'default'");
  view.set_agent("a1", "tcp://a1:6001", "default", true, {{"cpu", 2}});
  view.add_use("a1", {{"cpu", 2}}, 1);
  p = view.place({"default", cluster_mode::single_node, 1, {{"cpu", 1}}});
  CHECK_FALSE(p.placed());
  CHECK(p.reason.find("not enough free resources") == 0);
  view.add_use("a1", {{"cpu", 2}}, -1);
  CHECK(view.place({"default", cluster_mode::single_node, 1, {{"cpu", 1}}}).agents ==
        std::vector<agent_id>{"a1"});
}

TEST_CASE("scheduler slot view: agents to avoid are passed over, kernel by kernel too, and "
          "nothing fits when only they have room") {
  slot_view view{policy::concentrated};
  view.set_agent("a1", "tcp://a1:6001", "default", true, {{"cpu", 2}});
  view.set_agent("a2", "tcp://a2:6001", "default", true, {{"cpu", 2}});
  demand one{"default", cluster_mode::single_node, 1, {{"cpu", 1}}};
  CHECK(view.place(one).agents == std::vector<agent_id>{"a1"});
  CHECK(view.place(one, {"a1"}).agents == std::vector<agent_id>{"a2"});
  demand multi{"default", cluster_mode::multi_node, 2, {{"cpu", 1}}};
  CHECK(view.place(multi, {"a2"}).agents == std::vector<agent_id>{"a1", "a1"});
  CHECK_FALSE(view.place(multi, {"a1", "a2"}).placed());
  CHECK(view.place(multi, {"a1", "a2"}).reason.find("not enough free resources") == 0);
}

TEST_CASE("scheduler slot view: a demand is refused for ever only when no agent of its group, "
          "ALIVE or not, could hold it idle") {
  slot_view view{policy::dispersed};
  demand three{"default", cluster_mode::single_node, 3, {{"cpu", 1}}};
  CHECK(view.never_fits(three).empty()); // no agent yet: one may join
  view.set_agent("a1", "tcp://a1:6001", "default", true, {{"cpu", 2}});
  view.set_agent("g1", "tcp://g1:6001", "gpu", true, {{"cpu", 8}});
  CHECK(view.never_fits(three) == "no agent in scaling group 'default' could ever hold 3 kernels "
                                  "of cpu=1 on one agent: the largest, a1, has cpu=2");
  // A lost agent may come back: the session waits for it.
  view.set_agent("a2", "tcp://a2:6001", "default", false, {{"cpu", 4}});
  CHECK(view.never_fits(three).empty());
  // Use does not matter, only capacity.
  view.set_agent("a2", "tcp://a2:6001", "default", true, {{"cpu", 4}});
  view.add_use("a2", {{"cpu", 4}}, 1);
  CHECK(view.never_fits(three).empty());
  CHECK(view.place(three).reason ==
        "not enough free resources in scaling group 'default' (2 ALIVE agents) for 3 kernels of "
        "cpu=1 on one agent: the most free is cpu=2 free on a1");
}
