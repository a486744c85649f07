// baikal-sim's end-of-run check on failing agents: the share of sessions the manager placed on
// them may be at most twice their share of the capacity.

#include <doctest/doctest.h>

#include "tools/baikal-sim/sim_checks.hpp"

using namespace baikal::sim;

TEST_CASE("sim checks: sessions placed on failing agents within twice their capacity share pass, "
          "with the shares noted") {
  check_result r;
  check_failing_share(r, 150, 10000, 0.01);
  CHECK(r.problems.empty());
  CHECK(r.placed_on_failing == 150);
  CHECK(r.placed_on_failing_share == doctest::Approx(0.015));
  CHECK(r.failing_capacity_share == doctest::Approx(0.01));
  check_failing_share(r, 200, 10000, 0.01); // exactly twice: still fine
  CHECK(r.problems.empty());
}

TEST_CASE("sim checks: more than twice the capacity share on failing agents is a problem that "
          "says how much") {
  check_result r;
  check_failing_share(r, 3600, 10000, 0.01);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("3600 of 10000 sessions (36.000 %)") != std::string::npos);
  CHECK(r.problems[0].find("1.000 % of the capacity") != std::string::npos);
}

TEST_CASE("sim checks: without failing agents the share is not checked") {
  check_result r;
  check_failing_share(r, 0, 10000, 0);
  CHECK(r.problems.empty());
}
