// A session's idle clock without an actor: when its idle check re-arms or ends the session,
// what an idle_timeout may be, the reason the session ends with, and which API calls are
// activity.

#include <doctest/doctest.h>

#include "actors/manager/http/kernel_activity.hpp"
#include "actors/manager/idle_clock.hpp"
#include "actors/manager/session_request.hpp"
#include "messages/errors.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

const idle_clock::time_point t0 = idle_clock::time_point{} + 1000s;

} // namespace

TEST_CASE("idle reaping: a check before the deadline re-arms for the rest, at or after it the "
          "session is expired") {
  auto early = decide_idle(30, t0, t0 + 10s);
  CHECK(early.outcome == idle_outcome::early);
  // The rest, and a hair more so that the next check is not early again.
  CHECK(early.rearm_after > 20s);
  CHECK(early.rearm_after <= 20s + 1ms);
  CHECK(decide_idle(30, t0, t0 + 30s).outcome == idle_outcome::expired);
  CHECK(decide_idle(30, t0, t0 + 1h).outcome == idle_outcome::expired);
}

TEST_CASE("idle reaping: activity moves the deadline on from the last activity") {
  // Armed at t0 for 30 s; activity at t0 + 25 s: the check at t0 + 30 s is early by 25 s.
  auto after_activity = decide_idle(30, t0 + 25s, t0 + 30s);
  CHECK(after_activity.outcome == idle_outcome::early);
  CHECK(after_activity.rearm_after > 25s);
  CHECK(decide_idle(30, t0 + 25s, t0 + 55s).outcome == idle_outcome::expired);
}

TEST_CASE("idle reaping: an idle_timeout of 0 never ends a session") {
  CHECK(idle_limit(0) == idle_clock::duration::zero());
  CHECK(decide_idle(0, t0, t0 + 24h * 365).outcome == idle_outcome::never);
  CHECK(idle_limit(2.5) == 2500ms);
}

TEST_CASE("idle reaping: idle_timeout is checked as seconds from 0 to a year, naming the field") {
  CHECK(!check_idle_timeout(0));
  CHECK(!check_idle_timeout(2.5));
  CHECK(!check_idle_timeout(max_idle_timeout_s));
  for (double bad : {-1.0, max_idle_timeout_s + 1, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    CAPTURE(bad);
    auto err = check_idle_timeout(bad);
    CHECK(code_of(err) == errc::invalid_argument);
    CHECK(message_of(err).find("idle_timeout") != std::string::npos);
  }
}

TEST_CASE("idle reaping: the front refuses a bad idle_timeout, and a session takes the one its "
          "request names") {
  session_request req;
  req.owner = "alice";
  req.image = "busybox";
  req.idle_timeout = -5.0;
  CHECK(message_of(validate(req)).find("idle_timeout") != std::string::npos);
  req.idle_timeout = 45.0;
  CHECK(!validate(req));
  image_config image;
  image.canonical = "busybox:latest";
  CHECK(make_session(req, image, "default").idle_timeout == 45);
  req.idle_timeout = caf::none;
  CHECK(make_session(req, image, "default").idle_timeout == 0);
}

TEST_CASE("idle reaping: the reason says idle-timeout and how long the session was idle") {
  CHECK(idle_reason(30) == "idle-timeout: no activity for 30 s");
  CHECK(idle_reason(2.5) == "idle-timeout: no activity for 2.5 s");
  CHECK(idle_reason(max_idle_timeout_s) == "idle-timeout: no activity for 31536000 s");
}

TEST_CASE("idle reaping: execute, interrupt, complete, the file routes and services are "
          "activity, logs, restart and commit are not") {
  CHECK(is_activity<op::execute>());
  CHECK(is_activity<op::interrupt_kernel>());
  CHECK(is_activity<op::get_completions>());
  CHECK(is_activity<op::accept_file>());
  CHECK(is_activity<op::list_files>());
  CHECK(is_activity<op::download_file>());
  CHECK(is_activity<op::download_single>());
  CHECK(is_activity<op::start_service>());
  CHECK(is_activity<op::shutdown_service>());
  CHECK(!is_activity<op::get_logs>());
  CHECK(!is_activity<op::restart_kernel>());
  CHECK(!is_activity<op::commit>());
  CHECK(!is_activity<op::get_commit_status>());
}
