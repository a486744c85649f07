// Idle RUNNING sessions park (their actor ends, the front keeps a summary and the store the
// spec) and wake when they are asked for something: a termination, a restart, a kernel that
// ends or starts again on its agent. The fixture parks at once, so these tests first wait until
// the session is parked.

#include <doctest/doctest.h>

#include <thread>

#include "actors/manager/launch_plan.hpp"
#include "actors/manager/manager_front.hpp"
#include "support/manager_fixture.hpp"
#include "support/metric_value.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// The value of baikal_sessions_parked in the manager's metrics; -1 when it is missing.
long parked(manager_fixture& f) {
  auto text = f.ask<std::string>(f.m.front, api::get_metrics{});
  REQUIRE_MESSAGE(text, why(text));
  return metric_value(*text, "baikal_sessions_parked");
}

} // namespace

namespace {

/// Parks, answers from the front while parked, and wakes (reading its spec from the store) to
/// terminate: on whichever store `f` keeps its sessions in.
void parks_and_wakes_to_terminate(manager_fixture& f) {
  f.start();
  auto a1 = f.join("a1");
  auto id = f.create(f.request("alice", 2));
  REQUIRE(f.reaches(id, "RUNNING"));
  REQUIRE(eventually([&] { return parked(f) == 1; }));
  // Parked, it still answers from the front and the store.
  CHECK(f.status_of(id) == "RUNNING");
  auto route = f.ask<kernel_route>(f.m.front, api::main_kernel{"alice", id});
  REQUIRE_MESSAGE(route, why(route));
  CHECK(route->agent == "a1");
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 2);
  REQUIRE(f.ask<ack>(f.m.front, api::terminate_session{"alice", id}));
  REQUIRE(f.reaches(id, "TERMINATED"));
  CHECK(parked(f) == 0);
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 0);
  CHECK(a1->with([&](fake_agent_log& l) {
    return l.networks.count(launch::single_node_network_name(id));
  }) == 0);
  CHECK(f.history(id).back().reason == "terminated by the user");
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "manager parking: an idle RUNNING session parks, and "
                                   "terminating it wakes it and destroys its kernels") {
  parks_and_wakes_to_terminate(*this);
}

TEST_CASE_FIXTURE(manager_on_postgres, "manager parking on PostgreSQL: an idle RUNNING session "
                                       "parks, and terminating it wakes it and destroys its "
                                       "kernels") {
  parks_and_wakes_to_terminate(*this);
}

TEST_CASE_FIXTURE(manager_fixture, "manager parking: a kernel that ends on its agent ends the "
                                   "parked session") {
  start();
  auto a1 = join("a1");
  auto id = create(request("alice", 2));
  REQUIRE(reaches(id, "RUNNING"));
  REQUIRE(eventually([&] { return parked(*this) == 1; }));
  auto rec = get(id);
  REQUIRE(rec);
  auto victim = rec->kernels[0];
  kernel_ends(a1, "a1", id, victim.id);
  REQUIRE(reaches(id, "TERMINATED"));
  CHECK(history(id).back().reason.find("kernel " + victim.id + " terminated") == 0);
  CHECK(a1->with([](fake_agent_log& l) { return l.running.size(); }) == 0);
  CHECK(parked(*this) == 0);
}

TEST_CASE_FIXTURE(manager_fixture, "manager parking: a kernel restarted on its agent gets its "
                                   "new container stored, and the session parks again") {
  start();
  auto a1 = join("a1");
  auto id = create(request());
  REQUIRE(reaches(id, "RUNNING"));
  REQUIRE(eventually([&] { return parked(*this) == 1; }));
  auto rec = get(id);
  REQUIRE(rec);
  auto kernel = rec->kernels[0];
  auto sink = a1->with([](fake_agent_log& l) { return l.sink; });
  caf::anon_send(sink, kernel_terminated_event{{kernel.id, id, "a1", "restarting"}, caf::none});
  kernel_info info;
  info.container_id = "c-restarted";
  caf::anon_send(sink, kernel_started_event{{kernel.id, id, "a1", ""}, info});
  CHECK(eventually([&] {
    auto now = get(id);
    return now && now->kernels[0].container_id == "c-restarted";
  }));
  CHECK(status_of(id) == "RUNNING");
  CHECK(eventually([&] { return parked(*this) == 1; }));
  REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", id}));
  REQUIRE(reaches(id, "TERMINATED"));
}

TEST_CASE_FIXTURE(manager_fixture, "manager parking: sessions terminated at once while "
                                   "they park all end TERMINATED") {
  // Every session is RUNNING and somewhere in the parking handshake when the terminations
  // come: some reach an actor still running, some a dozing one (held by the front), some a
  // parked one (woken).
  start();
  auto a1 = join("a1", {{"cpu", 64}, {"mem", 64e9}});
  std::vector<session_id> ids;
  for (int i = 0; i < 40; ++i)
    ids.push_back(create(request()));
  for (auto& id : ids)
    REQUIRE(reaches(id, "RUNNING"));
  // Spread over the time the sessions take to park (the creation probe timer, 200 ms here,
  // has to fire first).
  for (auto& id : ids) {
    caf::anon_send(m.front, api::terminate_session{"alice", id});
    std::this_thread::sleep_for(10ms);
  }
  for (auto& id : ids)
    CHECK(reaches(id, "TERMINATED"));
  CHECK(eventually(
      [&] { return a1->with([](fake_agent_log& l) { return l.running.size(); }) == 0; }));
  CHECK(parked(*this) == 0);
}

TEST_CASE_FIXTURE(manager_fixture, "manager parking: a restart asked of a parked session is "
                                   "answered by the actor it wakes in, which parks again") {
  start();
  auto a1 = join("a1");
  a1->with([](fake_agent_log& l) {
    l.fail<op::restart_kernel>(make_error(errc::conflict, "the test agent refuses restarts"));
    return 0;
  });
  auto id = create(request());
  REQUIRE(reaches(id, "RUNNING"));
  REQUIRE(eventually([&] { return parked(*this) == 1; }));
  // The woken actor asked the agent: its answer comes back, not "being parked".
  auto restarted = ask<kernel_info>(m.front, api::restart_session{"alice", id});
  REQUIRE_FALSE(restarted);
  CHECK_MESSAGE(message_of(restarted.error()).find("the test agent refuses restarts") !=
                    std::string::npos,
                message_of(restarted.error()));
  CHECK(status_of(id) == "RUNNING");
  CHECK(eventually([&] { return parked(*this) == 1; }));
  REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", id}));
  REQUIRE(reaches(id, "TERMINATED"));
}

TEST_CASE_FIXTURE(manager_fixture, "manager parking: a parked session's kernels are still "
                                   "listed for its agent's reconciliation") {
  start();
  auto a1 = join("a1");
  auto id = create(request("alice", 2));
  REQUIRE(reaches(id, "RUNNING"));
  REQUIRE(eventually([&] { return parked(*this) == 1; }));
  auto rec = get(id);
  REQUIRE(rec);
  // What a reconciling agent's registration asks the front (the manager's own interface).
  auto internal_front = [&] { return caf::actor_cast<manager_front_actor>(m.front); };
  auto on = ask<std::vector<kernel_session>>(internal_front(), front::kernels_on_agent{"a1"});
  REQUIRE_MESSAGE(on, why(on));
  REQUIRE(on->size() == 2);
  for (auto& k : *on) {
    CHECK(k.session == id);
    CHECK((k.kernel == rec->kernels[0].id || k.kernel == rec->kernels[1].id));
  }
  auto elsewhere =
      ask<std::vector<kernel_session>>(internal_front(), front::kernels_on_agent{"a2"});
  REQUIRE(elsewhere);
  CHECK(elsewhere->empty());
}
