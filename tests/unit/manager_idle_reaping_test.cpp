// Idle reaping through a whole manager with fake agents: a RUNNING session with no activity for
// its idle_timeout is terminated with reason idle-timeout (its kernels destroyed on the agent),
// kernel calls that are activity keep it alive while others do not, the manager's default
// applies to requests that name none, and a manager restart starts the clock again. The
// fixture parks idle sessions at once, so the sessions reaped here are parked ones.

#include <doctest/doctest.h>

#include <thread>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

session_request idle_request(double idle_timeout) {
  auto r = manager_fixture::request();
  r.idle_timeout = idle_timeout;
  return r;
}

/// Asks the front for the session's main kernel every 100 ms for `how_long`, as the API does
/// for each kernel call; answers whether every ask found the session RUNNING.
bool keep_calling(manager_fixture& f, const session_id& id, bool activity,
                  std::chrono::milliseconds how_long) {
  auto until = std::chrono::steady_clock::now() + how_long;
  while (std::chrono::steady_clock::now() < until) {
    if (!f.ask<kernel_route>(f.m.front, api::main_kernel{"alice", id, activity}))
      return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "idle reaping: a session with no activity for its "
                                   "idle_timeout is terminated with reason idle-timeout") {
  start();
  auto a1 = join("a1");
  auto id = create(idle_request(0.5));
  REQUIRE(reaches(id, "RUNNING"));
  REQUIRE(reaches(id, "TERMINATED"));
  auto h = history(id);
  REQUIRE(h.size() >= 2);
  CHECK(to_string(h[h.size() - 2].status) == "TERMINATING");
  CHECK(h[h.size() - 2].reason == "idle-timeout: no activity for 0.5 s");
  CHECK(h.back().reason == "idle-timeout: no activity for 0.5 s");
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(rec->spec.idle_timeout == 0.5);
  CHECK(rec->status_data.find("idle-timeout: no activity for 0.5 s") != std::string::npos);
  CHECK(eventually(
      [&] { return a1->with([](fake_agent_log& l) { return l.running.size(); }) == 0; }));
}

TEST_CASE_FIXTURE(manager_fixture, "idle reaping: kernel calls that are activity keep a session "
                                   "RUNNING past its idle_timeout, and other calls do not") {
  start();
  join("a1");
  auto id = create(idle_request(1));
  REQUIRE(reaches(id, "RUNNING"));
  // Three times its idle_timeout, with activity every 100 ms.
  CHECK(keep_calling(*this, id, true, 3s));
  CHECK(status_of(id) == "RUNNING");
  // Calls that are no activity (the logs) do not hold the clock.
  CHECK(eventually([&] {
    (void)ask<kernel_route>(m.front, api::main_kernel{"alice", id, false});
    return status_of(id) == "TERMINATED";
  }));
  CHECK(history(id).back().reason.find("idle-timeout") == 0);
}

TEST_CASE_FIXTURE(manager_fixture, "idle reaping: the manager's default idle_timeout applies to "
                                   "a request that names none, and 0 never reaps") {
  settings.default_idle_timeout = 1s;
  start();
  join("a1");
  auto defaulted = create(request());
  auto never = create(idle_request(0));
  REQUIRE(reaches(never, "RUNNING"));
  auto rec = get(defaulted);
  REQUIRE(rec);
  CHECK(rec->spec.idle_timeout == 1);
  REQUIRE(reaches(defaulted, "TERMINATED"));
  CHECK(history(defaulted).back().reason == "idle-timeout: no activity for 1 s");
  // Started with the other, idle as long: still RUNNING.
  CHECK(status_of(never) == "RUNNING");
}

TEST_CASE_FIXTURE(manager_fixture, "idle reaping: after a manager restart a RUNNING session's "
                                   "idle clock starts again and reaps it") {
  start();
  join("a1");
  // Long enough that the first manager stops before it could reap the session.
  auto id = create(idle_request(3));
  REQUIRE(reaches(id, "RUNNING"));
  stop();
  start();
  CHECK(status_of(id) == "RUNNING");
  REQUIRE(reaches(id, "TERMINATED"));
  CHECK(history(id).back().reason == "idle-timeout: no activity for 3 s");
}

TEST_CASE_FIXTURE(manager_fixture, "idle reaping: the front refuses an idle_timeout below 0, "
                                   "naming the field") {
  start();
  auto id = ask<session_id>(m.front, api::create_session{idle_request(-1)});
  REQUIRE(!id);
  CHECK(code_of(id.error()) == errc::invalid_argument);
  CHECK(message_of(id.error()).find("idle_timeout") != std::string::npos);
}
