// How often a kernel whose actor keeps failing is served again before the agent gives it up.

#include <doctest/doctest.h>

#include "actors/agent/kernel_supervision.hpp"

using namespace baikal;
using namespace std::chrono_literals;

TEST_CASE("kernel supervision: a kernel is served again up to three times within ten minutes") {
  auto t0 = std::chrono::steady_clock::time_point{} + 24h;
  std::vector<std::chrono::steady_clock::time_point> failures;
  for (int i = 0; i < 3; ++i) {
    failures.push_back(t0 + i * 1min);
    CHECK(may_recover(failures, t0 + i * 1min));
  }
  failures.push_back(t0 + 3min);
  CHECK_FALSE(may_recover(failures, t0 + 3min));
}

TEST_CASE("kernel supervision: failures older than ten minutes no longer count") {
  auto t0 = std::chrono::steady_clock::time_point{} + 24h;
  std::vector<std::chrono::steady_clock::time_point> failures{t0, t0 + 1min, t0 + 2min, t0 + 12min};
  CHECK(may_recover(failures, t0 + 12min));
  CHECK(failures.size() == 2); // t0 and t0 + 1min were dropped
}
