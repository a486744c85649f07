// Drained agents as the scheduler sees them, without an actor of its own: the plain placement
// function and the slot view pass over an agent an operator drained, say so in the reason a
// session waits for, and place on it again once it is undrained; the agent mirror keeps a drain
// across the agent's own news (a registration, a heartbeat) and shows it in /v1/agents' view.
// An actor system is only there to give the agents a handle.

#include <doctest/doctest.h>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/manager/agent_mirror.hpp"
#include "actors/manager/scheduler.hpp"
#include "actors/manager/slot_view.hpp"

using namespace baikal;
using namespace baikal::sched;

namespace {

const demand one_cpu{"default", cluster_mode::single_node, 1, {{"cpu", 1}}};

agent_slots agent(const agent_id& id, bool drained, double cpu = 4) {
  agent_slots a;
  a.id = id;
  a.addr = "tcp://" + id;
  a.scaling_group = "default";
  a.alive = true;
  a.capacity = {{"cpu", cpu}};
  a.drained = drained;
  return a;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

} // namespace

TEST_CASE("drain: the scheduler passes over a drained agent even when it is the one it "
          "prefers") {
  // Concentrated prefers the fuller agent a1; drained, it is skipped for a2.
  auto a1 = agent("a1", true);
  a1.used = {{"cpu", 2}};
  std::vector<agent_slots> agents{a1, agent("a2", false)};
  for (auto pol : {policy::concentrated, policy::dispersed}) {
    auto p = place(one_cpu, agents, pol);
    REQUIRE(p.placed());
    CHECK(p.agents == std::vector<agent_id>{"a2"});
  }
  demand two{"default", cluster_mode::multi_node, 2, {{"cpu", 3}}};
  auto p = place(two, agents, policy::dispersed);
  CHECK_FALSE(p.placed());
  CHECK(starts_with(p.reason, "not enough free resources in scaling group 'default' (1 ALIVE "
                              "agent)"));
  CHECK(p.reason.find("1 more ALIVE agent is drained") != std::string::npos);
}

TEST_CASE("drain: with every agent of the group drained a session waits for a reason that "
          "names the drain") {
  std::vector<agent_slots> agents{agent("a1", true), agent("a2", true)};
  auto p = place(one_cpu, agents, policy::concentrated);
  CHECK_FALSE(p.placed());
  CHECK(p.reason == "no ALIVE agent in scaling group 'default' (2 drained: taking no new "
                    "kernels)");
  // Without a drain the reason stays what it was.
  CHECK(place(one_cpu, {}, policy::concentrated).reason ==
        "no ALIVE agent in scaling group 'default'");
  CHECK(no_room(one_cpu, 1, {}) ==
        "not enough free resources in scaling group 'default' (1 ALIVE agent) for 1 kernel of "
        "cpu=1");
}

TEST_CASE("drain: the slot view passes over a drained agent, gives the drain as the reason, "
          "and places on the agent again once it is undrained") {
  for (auto pol : {policy::concentrated, policy::dispersed}) {
    slot_view view{pol};
    view.set_agent("a1", "tcp://a1", "default", true, {{"cpu", 4}});
    view.set_agent("a2", "tcp://a2", "default", true, {{"cpu", 4}});
    view.set_agent("a1", "tcp://a1", "default", true, {{"cpu", 4}}, true);
    for (int i = 0; i < 4; ++i) {
      auto p = view.place(one_cpu);
      REQUIRE(p.placed());
      CHECK(p.agents[0] == "a2");
      view.add_use("a2", {{"cpu", 1}}, 1);
    }
    auto full = view.place(one_cpu);
    CHECK_FALSE(full.placed());
    CHECK(starts_with(full.reason, "not enough free resources in scaling group 'default'"));
    CHECK(full.reason.find("1 more ALIVE agent is drained") != std::string::npos);

    view.set_agent("a2", "tcp://a2", "default", true, {{"cpu", 4}}, true);
    auto none = view.place(one_cpu);
    CHECK(none.reason ==
          "no ALIVE agent in scaling group 'default' (2 drained: taking no new kernels)");
    // A drained agent that is LOST is not counted: it would take nothing undrained either.
    view.set_agent("a2", "tcp://a2", "default", false, {{"cpu", 4}}, true);
    CHECK(view.place(one_cpu).reason ==
          "no ALIVE agent in scaling group 'default' (1 drained: taking no new kernels)");
    // Another group's drains are not this group's.
    CHECK(view.place({"gpu", cluster_mode::single_node, 1, {{"cpu", 1}}}).reason ==
          "no ALIVE agent in scaling group 'gpu'");

    view.set_agent("a1", "tcp://a1", "default", true, {{"cpu", 4}}, false);
    auto back = view.place(one_cpu);
    REQUIRE(back.placed());
    CHECK(back.agents[0] == "a1");
  }
}

namespace {

struct drain_fixture {
  drain_fixture() : sys{(cfg.set("scheduler.max-threads", 2), cfg)}, self{sys} {}

  agent_actor handle() { return caf::actor_cast<agent_actor>(caf::actor_cast<caf::actor>(self)); }

  agent_record record(const agent_id& id, agent_status status = agent_status::alive) {
    agent_record r;
    r.id = id;
    r.addr = "tcp://" + id;
    r.status = status;
    r.scaling_group = "default";
    r.capacity = {{"cpu", 4}, {"mem", 16e9}};
    return r;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  slot_view slots{policy::concentrated};
  manager_metrics metrics;
};

} // namespace

TEST_CASE_FIXTURE(drain_fixture, "drain: the agent mirror keeps a drain when the agent "
                                 "registers again or beats, and shows it in the agents' view") {
  agent_mirror mirror;
  mirror.update(record("a1"), handle(), slots, metrics);
  auto now = agent_mirror::clock::now();
  CHECK(mirror.set_drained("a1", true, slots));
  CHECK_FALSE(mirror.set_drained("a1", true, slots)); // nothing new
  CHECK(mirror.drained("a1"));
  CHECK_FALSE(mirror.takes_placements("a1", now));
  CHECK_FALSE(slots.place(one_cpu).placed());
  // The agent's own news (LOST, then a registration ALIVE) do not undo the operator's drain.
  mirror.update(record("a1", agent_status::lost), agent_actor{}, slots, metrics);
  mirror.update(record("a1"), handle(), slots, metrics);
  CHECK(mirror.drained("a1"));
  CHECK_FALSE(mirror.takes_placements("a1", now));
  CHECK(slots.place(one_cpu).reason ==
        "no ALIVE agent in scaling group 'default' (1 drained: taking no new kernels)");
  auto views = mirror.views({record("a1")}, slots, now);
  REQUIRE(views.size() == 1);
  CHECK(views[0].drained);

  // A drain restored before the agent is back (a restarted manager) holds once it joins.
  CHECK(mirror.set_drained("a2", true, slots));
  mirror.update(record("a2"), handle(), slots, metrics);
  CHECK_FALSE(mirror.takes_placements("a2", now));
  CHECK(mirror.drained_count() == 2);

  CHECK(mirror.set_drained("a1", false, slots));
  CHECK(mirror.takes_placements("a1", now));
  auto p = slots.place(one_cpu);
  REQUIRE(p.placed());
  CHECK(p.agents[0] == "a1");
  CHECK_FALSE(mirror.views({record("a1")}, slots, now)[0].drained);
}
