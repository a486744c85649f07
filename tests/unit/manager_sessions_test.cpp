// Sessions through the whole manager (spawn_manager) with fake agents: the state machine from
// PENDING to RUNNING with every transition stored, termination, what is refused, and sessions
// that still end somewhere when every agent event is lost.

#include <doctest/doctest.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "actors/manager/launch_plan.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: a session reaches RUNNING through every "
                                   "phase, each transition stored with its reason") {
  start();
  auto a1 = join("a1");
  auto id = create(request());
  REQUIRE(reaches(id, "RUNNING"));
  auto rec = get(id);
  REQUIRE(rec);
  REQUIRE(rec->kernels.size() == 1);
  CHECK(rec->kernels[0].agent == "a1");
  CHECK(rec->kernels[0].status == kernel_status::running);
  CHECK(rec->kernels[0].container_id == "c-" + rec->kernels[0].id);
  CHECK(eventually([&] {
    return statuses(id) == std::vector<std::string>{"PENDING",  "SCHEDULED", "PREPARING", "PULLING",
                                                    "PREPARED", "CREATING",  "RUNNING"};
  }));
  for (auto& change : history(id))
    CHECK_MESSAGE(!change.reason.empty(), to_string(change.status) << " has no reason");
  CHECK(a1->with([](fake_agent_log& l) { return l.pulls; }) == 1);
  auto route = ask<kernel_route>(m.front, api::main_kernel{"alice", id});
  REQUIRE(route);
  CHECK(route->kernel == rec->kernels[0].id);
  CHECK(route->agent == "a1");
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: terminate destroys the kernels and the "
                                   "single-node bridge, then the session is TERMINATED") {
  start();
  auto a1 = join("a1");
  auto id = create(request("alice", 3));
  REQUIRE(reaches(id, "RUNNING"));
  auto bridge = launch::single_node_network_name(id);
  CHECK(a1->with([&](fake_agent_log& l) { return l.networks.count(bridge); }) == 1);
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 3);
  REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", id}));
  REQUIRE(reaches(id, "TERMINATED"));
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 0);
  CHECK(a1->with([&](fake_agent_log& l) { return l.networks.count(bridge); }) == 0);
  auto rec = get(id);
  REQUIRE(rec);
  for (auto& k : rec->kernels)
    CHECK(k.status == kernel_status::terminated);
  auto s = statuses(id);
  CHECK(s.back() == "TERMINATED");
  CHECK(has(s, "TERMINATING"));
  // main_kernel is only for RUNNING sessions.
  auto route = ask<kernel_route>(m.front, api::main_kernel{"alice", id});
  REQUIRE_FALSE(route);
  CHECK(message_of(route.error()) == "session " + id + " is TERMINATED, not RUNNING");
}

namespace {

size_t held_started_events(const fake_agent_log_ptr& log) {
  return log->with([](fake_agent_log& l) { return l.held_started.size(); });
}

size_t running_checks(const fake_agent_log_ptr& log) {
  return log->with([](fake_agent_log& l) { return l.running_checks; });
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: a start reported before its "
                                   "kernel_started events waits for them, and no agent is "
                                   "probed") {
  settings.phase_probe_after = std::chrono::seconds{10};
  settings.started_events_grace = std::chrono::seconds{10};
  start();
  auto a1 = join("a1");
  a1->with([](fake_agent_log& l) { return l.hold_started_events = true; });
  auto id = create(request("alice", 2));
  REQUIRE(eventually([&] { return held_started_events(a1) == 2; }));
  // create_kernels is answered with the events held: the launcher's report comes first.
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  CHECK(status_of(id) == "CREATING");
  auto [sink, held] = a1->with([](fake_agent_log& l) {
    l.hold_started_events = false;
    return std::make_pair(l.sink, std::move(l.held_started));
  });
  for (auto& e : held)
    caf::anon_send(sink, e);
  REQUIRE(reaches(id, "RUNNING"));
  CHECK(running_checks(a1) == 0);
  CHECK(history(id).back().reason.find("kernel_started event") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: kernel_started events lost after the "
                                   "start was reported are confirmed by a probe after the "
                                   "grace, long before the phase timer") {
  settings.phase_probe_after = std::chrono::seconds{20};
  settings.started_events_grace = std::chrono::milliseconds{200};
  start();
  auto a1 = join("a1");
  a1->with([](fake_agent_log& l) { return l.hold_started_events = true; }); // never sent
  auto id = create(request("alice", 2));
  // Within half the phase timer: only the grace's probe can have found the kernels.
  REQUIRE(reaches(id, "RUNNING", std::chrono::seconds{10}));
  CHECK(running_checks(a1) >= 2);
  CHECK(history(id).back().reason.find("check_running") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: with every agent event dropped, the "
                                   "probes still bring the session to RUNNING") {
  start();
  auto a1 = join("a1", {{"cpu", 8}, {"mem", 8e9}}, true);
  auto id = create(request("alice", 2));
  REQUIRE(reaches(id, "RUNNING"));
  auto s = statuses(id);
  CHECK_FALSE(has(s, "PULLING")); // no pull event ever came
  CHECK(has(s, "PREPARED"));
  // The pull was re-sent once because no pull event came and no pull was running.
  CHECK(a1->with([](fake_agent_log& l) { return l.pulls; }) == 2);
  auto rec = get(id);
  REQUIRE(rec);
  for (auto& k : rec->kernels)
    CHECK(k.container_id == "c-" + k.id); // learned from check_running
  auto h = history(id);
  auto prepared = std::find_if(h.begin(), h.end(), [](const status_change& c) {
    return c.status == session_status::prepared;
  });
  REQUIRE(prepared != h.end());
  CHECK(prepared->reason.find("re-sent") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: kernels lost with their events are "
                                   "created again by a re-sent create_kernels") {
  start();
  auto a1 = join("a1", {{"cpu", 8}, {"mem", 8e9}}, true);
  a1->with([](fake_agent_log& l) { return l.lose_creates = 1; });
  auto id = create(request("alice", 2));
  REQUIRE(reaches(id, "RUNNING"));
  CHECK(a1->with([](fake_agent_log& l) { return l.creates; }) == 2);
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 2);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: when the grace after a start's report and "
                                   "the phase timer come due together, one probe decides and "
                                   "lost kernels are created again once") {
  // Both 100 ms: the probe each starts can overlap the other's.
  settings.phase_probe_after = std::chrono::milliseconds{100};
  settings.started_events_grace = std::chrono::milliseconds{100};
  start();
  auto a1 = join("a1", {{"cpu", 64}, {"mem", 64e9}}, true);
  const size_t sessions = 12;
  a1->with([&](fake_agent_log& l) { return l.lose_creates = sessions; });
  std::vector<session_id> ids;
  for (size_t i = 0; i < sessions; ++i)
    ids.push_back(create(request("alice", 2)));
  for (auto& id : ids)
    CHECK(reaches(id, "RUNNING"));
  CHECK(a1->with([](fake_agent_log& l) { return l.creates; }) == 2 * sessions);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: kernels that keep vanishing with their "
                                   "events dropped end in ERROR with a reason, not stuck") {
  start();
  auto a1 = join("a1", {{"cpu", 8}, {"mem", 8e9}}, true);
  a1->with([](fake_agent_log& l) { return l.lose_creates = 1000; });
  auto id = create(request());
  REQUIRE(reaches(id, "ERROR"));
  CHECK(a1->with([](fake_agent_log& l) { return l.creates; }) == 2); // re-sent once
  auto h = history(id);
  CHECK(h.back().reason.find("neither being created nor running") != std::string::npos);
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(rec->status_data.find("\"error\"") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: an agent refusing create_kernels puts "
                                   "the session in ERROR with the agent's message") {
  start();
  auto a1 = join("a1");
  a1->with([](fake_agent_log& l) {
    l.fail<op::create_kernels>(make_error(errc::agent_error, "no space left on device"));
  });
  auto id = create(request());
  REQUIRE(reaches(id, "ERROR"));
  CHECK(history(id).back().reason.find("no space left on device") != std::string::npos);
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(rec->status_data.find("no space left on device") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: a session no agent of its group could "
                                   "ever hold is refused at creation with the reason") {
  start();
  join("small", {{"cpu", 2}, {"mem", 8e9}});
  auto refused = ask<session_id>(m.front, api::create_session{request("alice", 3)});
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_argument);
  CHECK(message_of(refused.error()) ==
        "resources: no agent in scaling group 'default' could ever hold 3 kernels of cpu=1 "
        "mem=1000000000 on one agent: the largest, small, has cpu=2 mem=8000000000");
  auto multi = request("alice", 3, cluster_mode::multi_node);
  auto too_many = ask<session_id>(m.front, api::create_session{multi});
  REQUIRE_FALSE(too_many);
  CHECK(message_of(too_many.error()).find("could hold at most 2 of the 3 kernels") !=
        std::string::npos);
  // Another agent that makes room: the same request is taken.
  join("big", {{"cpu", 8}, {"mem", 8e9}});
  auto id = create(request("alice", 3));
  REQUIRE(reaches(id, "RUNNING"));
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(rec->kernels[0].agent == "big");
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: a session waiting for room stays PENDING "
                                   "with a reason naming what is free, and starts when it frees") {
  start();
  join("a1", {{"cpu", 2}, {"mem", 8e9}});
  auto first = create(request("alice", 2));
  REQUIRE(reaches(first, "RUNNING"));
  auto second = create(request("alice", 2));
  CHECK(eventually([&] {
    auto h = history(second);
    return h.size() == 2 &&
           h.back().reason == "not enough free resources in scaling group 'default' (1 ALIVE "
                              "agent) for 2 kernels of cpu=1 mem=1000000000 on one agent: the most "
                              "free is cpu=0 mem=6000000000 free on a1";
  }));
  auto rec = get(second);
  REQUIRE(rec);
  CHECK(rec->status == session_status::pending);
  CHECK(rec->status_reason == history(second).back().reason);
  REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", first}));
  REQUIRE(reaches(second, "RUNNING"));
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: slots freed by a terminated session "
                                   "start the next pending one") {
  start();
  join("a1", {{"cpu", 1}, {"mem", 8e9}});
  auto first = create(request());
  REQUIRE(reaches(first, "RUNNING"));
  auto second = create(request());
  CHECK(eventually([&] { return history(second).size() == 2; })); // PENDING, with the reason
  REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", first}));
  REQUIRE(reaches(second, "RUNNING"));
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: a kernel terminated on its agent ends "
                                   "its RUNNING session") {
  start();
  auto a1 = join("a1");
  auto id = create(request("alice", 2));
  REQUIRE(reaches(id, "RUNNING"));
  auto rec = get(id);
  REQUIRE(rec);
  auto victim = rec->kernels[1];
  kernel_ends(a1, "a1", id, victim.id);
  REQUIRE(reaches(id, "TERMINATED"));
  CHECK(history(id).back().reason.find("kernel " + victim.id + " terminated") == 0);
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 0);
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: another user's session is not found, "
                                   "and bad requests are invalid arguments") {
  start();
  join("a1");
  auto id = create(request("alice"));
  for (auto& err :
       {get(id, "mallory").error(),
        ask<ack>(m.front, api::terminate_session{"mallory", id}).error(),
        ask<kernel_route>(m.front, api::main_kernel{"mallory", id}).error(),
        ask<std::vector<status_change>>(m.front, api::get_session_history{"mallory", id})
            .error()}) {
    CHECK(code_of(err) == errc::not_found);
    CHECK(message_of(err) == "no session " + id);
  }
  auto listed = ask<std::vector<session_record>>(m.front, api::list_sessions{"mallory", {}});
  REQUIRE(listed);
  CHECK(listed->empty());
  auto mine = ask<std::vector<session_record>>(m.front, api::list_sessions{"alice", {}});
  REQUIRE(mine);
  CHECK(mine->size() == 1);
  auto bad = request();
  bad.cluster_size = 0;
  auto refused = ask<session_id>(m.front, api::create_session{bad});
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_argument);
  CHECK(message_of(refused.error()) == "cluster_size must be at least 1, got 0");
}

TEST_CASE_FIXTURE(manager_fixture, "manager sessions: subscribers get the events and metrics "
                                   "count sessions, agents and launches") {
  start();
  auto seen = std::make_shared<std::atomic<int>>(0);
  auto listener = sys->spawn([seen]() -> event_sink_actor::behavior_type {
    return {
        [](const kernel_preparing_event&) {},  [](const kernel_pulling_event&) {},
        [](const kernel_creating_event&) {},   [seen](const kernel_started_event&) { ++*seen; },
        [](const kernel_terminated_event&) {}, [](const do_agent_resource_check_event&) {},
        [](const agent_terminated_event&) {},  [](const image_pull_event&) {},
        [](const execution_event&) {},         [](const batch_result_event&) {},
    };
  });
  REQUIRE(ask<ack>(m.front, api::subscribe_events{listener}));
  join("a1");
  auto id = create(request());
  REQUIRE(reaches(id, "RUNNING"));
  CHECK(eventually([&] { return seen->load() == 1; }));
  auto text = ask<std::string>(m.front, api::get_metrics{});
  REQUIRE(text);
  CHECK(text->find("baikal_sessions{status=\"RUNNING\"} 1\n") != std::string::npos);
  CHECK(text->find("baikal_agents{status=\"ALIVE\"} 1\n") != std::string::npos);
  CHECK(text->find("baikal_session_launch_seconds_count 1\n") != std::string::npos);
  CHECK(text->find("baikal_image_pulls_total{phase=\"finished\"} 1\n") != std::string::npos);
  caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);
}
