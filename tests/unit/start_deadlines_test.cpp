// The launcher's start deadlines: a start past its deadline is taken once, one that answered
// first is not taken, and the sweep runs often enough for short timeouts without spinning.

#include <doctest/doctest.h>

#include "actors/manager/start_deadlines.hpp"

using namespace baikal;
using namespace std::chrono_literals;

TEST_CASE("start deadlines: a start past its deadline is taken once, with its session") {
  start_deadlines d;
  auto t0 = start_deadlines::clock::now();
  d.add(1, "s1", t0 + 10s);
  d.add(2, "s2", t0 + 20s);
  CHECK(d.take_expired(t0 + 5s).empty());
  auto first = d.take_expired(t0 + 10s);
  REQUIRE(first.size() == 1);
  CHECK(first[0].first == 1);
  CHECK(first[0].second == "s1");
  CHECK(d.take_expired(t0 + 15s).empty());
  CHECK(d.size() == 1);
  // The late answer of a start that was taken is not to be used.
  CHECK_FALSE(d.finish(1));
}

TEST_CASE("start deadlines: a start that answered before its deadline is never taken") {
  start_deadlines d;
  auto t0 = start_deadlines::clock::now();
  d.add(7, "s7", t0 + 1s);
  CHECK(d.finish(7));
  CHECK(d.empty());
  CHECK(d.take_expired(t0 + 1h).empty());
}

TEST_CASE("start deadlines: the sweep runs at a quarter of the timeout, between 10 ms and 1 s") {
  CHECK(start_deadlines::sweep_every(1800s) == 1s);
  CHECK(start_deadlines::sweep_every(1s) == 250ms);
  CHECK(start_deadlines::sweep_every(20ms) == 10ms);
}
