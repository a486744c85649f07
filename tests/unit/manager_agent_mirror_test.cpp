// The manager front's mirror of the agents without an actor of its own: which agents take
// placements (as the slot view is told), how the registry's changes are counted, the handles and
// routes it answers, and the quarantine of agents whose creations keep failing. An actor system
// is only there to give the agents a handle.

#include <doctest/doctest.h>

#include <chrono>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/manager/agent_mirror.hpp"
#include "messages/errors.hpp"
#include "support/status_names.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

struct mirror_fixture {
  mirror_fixture() : sys{(cfg.set("scheduler.max-threads", 2), cfg)}, self{sys} {}

  agent_actor handle() { return caf::actor_cast<agent_actor>(caf::actor_cast<caf::actor>(self)); }

  agent_record record(const agent_id& id, const std::string& status, std::string unhealthy = {}) {
    agent_record r;
    r.id = id;
    r.addr = "tcp://" + id;
    r.status = test::agent_status_named(status);
    r.scaling_group = "default";
    r.capacity = {{"cpu", 4}, {"mem", 16e9}};
    r.unhealthy = std::move(unhealthy);
    return r;
  }

  /// Whether a session of 1 cpu would be placed on `id` now.
  bool places_on(const agent_id& id) {
    auto p = slots.place({"default", cluster_mode::single_node, 1, {{"cpu", 1}}});
    return p.placed() && p.agents[0] == id;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  sched::slot_view slots{sched::policy::concentrated};
  manager_metrics metrics;
};

quarantine_settings three_then_10s() {
  quarantine_settings s;
  s.failures_until_quarantine = 3;
  s.first_backoff = 10s;
  s.max_backoff = 60s;
  return s;
}

front::launch_failed failure_on(const agent_id& agent) {
  return {"s-1", {{agent, errc::agent_error, "engine refused"}}};
}

} // namespace

TEST_CASE_FIXTURE(mirror_fixture, "agent mirror: an agent takes placements while ALIVE, "
                                  "connected and healthy, coming back ALIVE asks for a pass") {
  agent_mirror mirror;
  CHECK(mirror.update(record("a1", "ALIVE"), handle(), slots, metrics));
  CHECK(mirror.takes_placements("a1", agent_mirror::clock::now()));
  CHECK(places_on("a1"));
  // Unhealthy: it keeps its kernels but gets no new ones.
  CHECK_FALSE(mirror.update(record("a1", "ALIVE", "engine away"), handle(), slots, metrics));
  CHECK_FALSE(places_on("a1"));
  CHECK_FALSE(mirror.update(record("a1", "LOST"), agent_actor{}, slots, metrics));
  CHECK_FALSE(mirror.takes_placements("a1", agent_mirror::clock::now()));
  CHECK(mirror.update(record("a1", "ALIVE"), handle(), slots, metrics));
  CHECK(places_on("a1"));
  // ALIVE without a handle is not reachable: a pass for it all the same, but no placement.
  CHECK(mirror.update(record("a2", "ALIVE"), agent_actor{}, slots, metrics));
  CHECK_FALSE(mirror.takes_placements("a2", agent_mirror::clock::now()));
  CHECK_FALSE(mirror.takes_placements("a3", agent_mirror::clock::now()));
}

TEST_CASE_FIXTURE(mirror_fixture, "agent mirror: agents are counted by status and health as "
                                  "they change, and their slot names are remembered") {
  agent_mirror mirror;
  CHECK(mirror.offered_slots() == std::set<std::string>{"cpu", "mem"});
  auto gpu = record("a1", "ALIVE");
  gpu.capacity["cuda.device"] = 1;
  mirror.update(gpu, handle(), slots, metrics);
  mirror.update(record("a2", "ALIVE", "engine away"), handle(), slots, metrics);
  CHECK(metrics.agents_by_status == std::map<agent_status, uint64_t>{{agent_status::alive, 2}});
  CHECK(metrics.unhealthy_agents == 1);
  mirror.update(record("a2", "LOST"), agent_actor{}, slots, metrics);
  mirror.update(record("a1", "ALIVE"), handle(), slots, metrics); // a heartbeat: no change
  CHECK(metrics.agents_by_status ==
        std::map<agent_status, uint64_t>{{agent_status::alive, 1}, {agent_status::lost, 1}});
  CHECK(metrics.unhealthy_agents == 0);
  // A LOST agent may come back with it: the slot name stays.
  CHECK(mirror.offered_slots().count("cuda.device") == 1);
}

TEST_CASE_FIXTURE(mirror_fixture, "agent mirror: handles and the main kernel's route only for "
                                  "agents ALIVE and connected") {
  agent_mirror mirror;
  CHECK(code_of(mirror.handle_of("a1").error()) == errc::not_found);
  mirror.update(record("a1", "LOST"), agent_actor{}, slots, metrics);
  auto lost = mirror.handle_of("a1");
  REQUIRE_FALSE(lost);
  CHECK(code_of(lost.error()) == errc::unavailable);
  CHECK(caf::to_string(lost.error()).find("LOST") != std::string::npos);

  CHECK(code_of(mirror.route_to("s-1", "k-main", "a1").error()) == errc::unavailable);
  mirror.update(record("a1", "ALIVE"), handle(), slots, metrics);
  REQUIRE(mirror.handle_of("a1"));
  auto route = mirror.route_to("s-1", "k-main", "a1");
  REQUIRE(route);
  CHECK(route->session == "s-1");
  CHECK(route->kernel == "k-main");
  CHECK(route->agent == "a1");
  CHECK(route->handle == handle());
}

TEST_CASE_FIXTURE(mirror_fixture, "agent mirror: an agent quarantined after failures in a row "
                                  "leaves the slot view until its back-off ends, takes one probe, "
                                  "and a success clears it") {
  agent_mirror mirror{three_then_10s()};
  auto t0 = agent_mirror::clock::now();
  mirror.update(record("a1", "ALIVE"), handle(), slots, metrics);
  CHECK(mirror.with_quarantine_note("no room") == "no room");
  CHECK_FALSE(mirror.tick_needed(t0));
  CHECK(mirror.launch_failed(failure_on("a1"), slots, t0) == 0);
  CHECK(mirror.launch_failed(failure_on("a1"), slots, t0) == 0);
  CHECK(places_on("a1"));
  CHECK(mirror.launch_failed(failure_on("a1"), slots, t0) == 1);
  CHECK_FALSE(places_on("a1"));
  CHECK(mirror.with_quarantine_note("no room") ==
        "no room; 1 agent is quarantined after failing kernel creations (see /v1/agents)");
  // One tick for the end of the back-off, and no second one for the same end.
  auto delay = mirror.tick_needed(t0);
  REQUIRE(delay);
  CHECK(*delay == 10s);
  CHECK_FALSE(mirror.tick_needed(t0));
  CHECK_FALSE(mirror.tick_arrived(slots, t0 + 5s)); // early: nothing due
  CHECK(mirror.tick_arrived(slots, t0 + 10s));
  CHECK(places_on("a1"));
  CHECK(mirror.placed("a1", slots, t0 + 10s)); // the probe
  CHECK_FALSE(places_on("a1"));
  CHECK_FALSE(mirror.placed("a2", slots, t0 + 10s));
  // The probe's own wait gets a tick of its own.
  CHECK(mirror.tick_needed(t0 + 10s));
  scheduled_session spec;
  spec.id = "s-2";
  spec.kernels.resize(1);
  spec.kernels[0].agent = "a1";
  CHECK(mirror.launch_succeeded(spec, slots));
  CHECK(places_on("a1"));
  CHECK_FALSE(mirror.launch_succeeded(spec, slots));
}

TEST_CASE_FIXTURE(mirror_fixture, "agent mirror: the agents' views carry what sessions use of "
                                  "each and its quarantine") {
  agent_mirror mirror{three_then_10s()};
  auto t0 = agent_mirror::clock::now();
  mirror.update(record("a1", "ALIVE"), handle(), slots, metrics);
  slots.add_use("a1", {{"cpu", 2}}, 1);
  for (int i = 0; i < 3; ++i)
    mirror.launch_failed(failure_on("a2"), slots, t0);
  auto views = mirror.views({record("a1", "ALIVE"), record("a2", "ALIVE")}, slots, t0 + 4s);
  REQUIRE(views.size() == 2);
  CHECK(views[0].record.id == "a1");
  CHECK(views[0].used.at("cpu") == 2);
  CHECK(views[0].quarantine.state == "clear");
  CHECK(views[1].quarantine.state == "quarantined");
  CHECK(views[1].quarantine.reason == "engine refused");
  CHECK(views[1].quarantine.remaining_ms == 6000);
  CHECK(views[1].quarantine.failures == 3);
}
