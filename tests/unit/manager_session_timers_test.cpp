// The sessions' timers: one fires at the first tick at or after its due time, never before it,
// in the order of the due times; a taken timer is gone.

#include <doctest/doctest.h>

#include <chrono>

#include "actors/manager/session_timers.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

const session_timers::clock::time_point t0{std::chrono::hours{1}};

} // namespace

TEST_CASE("session timers: a timer is taken at the first tick at or after its due time") {
  session_timers timers{10ms};
  timers.arm(t0 + 15ms, {}, session_timer_kind::phase);
  CHECK(timers.armed() == 1);
  CHECK(timers.take_due(t0).empty());
  CHECK(timers.take_due(t0 + 14ms).empty());
  CHECK(timers.take_due(t0 + 19ms).empty()); // due, but its tick (t0 + 20 ms) has not come
  auto due = timers.take_due(t0 + 20ms);
  REQUIRE(due.size() == 1);
  CHECK(due[0].kind == session_timer_kind::phase);
  CHECK(timers.armed() == 0);
  CHECK(timers.take_due(t0 + 1s).empty()); // taken once
}

TEST_CASE("session timers: a timer due on a tick is taken on that tick") {
  session_timers timers{10ms};
  timers.arm(t0 + 30ms, {}, session_timer_kind::started_events);
  CHECK(timers.take_due(t0 + 29ms).empty());
  REQUIRE(timers.take_due(t0 + 30ms).size() == 1);
}

TEST_CASE("session timers: the timers due are taken in the order of their due times, the "
          "later ones left") {
  session_timers timers{10ms};
  timers.arm(t0 + 200ms, {}, session_timer_kind::phase);
  timers.arm(t0 + 50ms, {}, session_timer_kind::started_events);
  timers.arm(t0 + 120ms, {}, session_timer_kind::phase);
  timers.arm(t0 + 1s, {}, session_timer_kind::phase);
  auto due = timers.take_due(t0 + 500ms);
  REQUIRE(due.size() == 3);
  CHECK(due[0].kind == session_timer_kind::started_events);
  CHECK(due[1].kind == session_timer_kind::phase);
  CHECK(due[2].kind == session_timer_kind::phase);
  CHECK(timers.armed() == 1);
  CHECK(timers.take_due(t0 + 999ms).empty());
  CHECK(timers.take_due(t0 + 1s).size() == 1);
}

TEST_CASE("session timers: a tick shorter than a millisecond is taken as one") {
  session_timers timers{std::chrono::microseconds{10}};
  CHECK(timers.tick() == 1ms);
}
