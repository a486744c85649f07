// The quarantine of agents whose creations keep failing, fed with outcomes and times: when an
// agent stops taking placements, when it takes the one probe, how the back-off grows, and what
// clears it.

#include <doctest/doctest.h>

#include "actors/manager/agent_quarantine.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

using clock = agent_quarantine::clock;

quarantine_settings quarantine_three_then_10s() {
  quarantine_settings s;
  s.failures_until_quarantine = 3;
  s.first_backoff = 10s;
  s.max_backoff = 60s;
  return s;
}

} // namespace

TEST_CASE("quarantine: an agent is placeable until its third failure in a row, then not for the "
          "first back-off, with the reason and the time left in its status") {
  agent_quarantine q{quarantine_three_then_10s()};
  auto t0 = clock::time_point{} + 1h;
  CHECK_FALSE(q.failed("a1", "engine refused", t0));
  CHECK_FALSE(q.failed("a1", "engine refused", t0 + 1s));
  CHECK(q.placeable("a1", t0 + 1s));
  CHECK(q.status("a1", t0 + 1s).phase == quarantine_phase::clear);
  CHECK(q.status("a1", t0 + 1s).failures == 2);
  CHECK(q.failed("a1", "disk full", t0 + 2s));
  CHECK_FALSE(q.placeable("a1", t0 + 2s));
  CHECK(q.held() == 1);
  auto s = q.status("a1", t0 + 5s);
  CHECK(s.phase == quarantine_phase::quarantined);
  CHECK(s.reason == "disk full");
  CHECK(s.remaining_ms == 7000);
  CHECK(s.failures == 3);
  CHECK_FALSE(q.placeable("a1", t0 + 11s));
  CHECK(q.placeable("a1", t0 + 12s));
  CHECK(q.status("a1", t0 + 12s).phase == quarantine_phase::probing);
  // Other agents are not concerned.
  CHECK(q.placeable("a2", t0 + 2s));
  CHECK(q.status("a2", t0).phase == quarantine_phase::clear);
}

TEST_CASE("quarantine: a success between failures resets the count, agents with failures since "
          "their last success are suspects") {
  agent_quarantine q{quarantine_three_then_10s()};
  auto t0 = clock::time_point{} + 1h;
  CHECK(q.suspects().empty());
  q.failed("a1", "x", t0);
  q.failed("a2", "x", t0);
  CHECK(q.suspects() == std::vector<agent_id>{"a1", "a2"});
  q.succeeded("a2");
  CHECK(q.suspects() == std::vector<agent_id>{"a1"});
  q.failed("a1", "x", t0);
  CHECK_FALSE(q.succeeded("a1")); // it was not held
  CHECK_FALSE(q.failed("a1", "x", t0));
  CHECK_FALSE(q.failed("a1", "x", t0));
  CHECK(q.placeable("a1", t0));
  CHECK(q.failed("a1", "x", t0));
}

TEST_CASE("quarantine: after the back-off one placement is the probe and the agent takes no more "
          "until the probe's outcome, a success clears it") {
  agent_quarantine q{quarantine_three_then_10s()};
  auto t0 = clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i)
    q.failed("a1", "x", t0);
  auto after = t0 + 10s;
  REQUIRE(q.placeable("a1", after));
  CHECK(q.placed("a1", after)); // the probe
  CHECK_FALSE(q.placeable("a1", after));
  CHECK_FALSE(q.placed("a1", after));
  CHECK(q.status("a1", after + 1s).phase == quarantine_phase::probing);
  CHECK(q.succeeded("a1"));
  CHECK(q.placeable("a1", after));
  CHECK(q.held() == 0);
  CHECK(q.status("a1", after).phase == quarantine_phase::clear);
  CHECK(q.status("a1", after).failures == 0);
  // A clear agent's placements change nothing.
  CHECK_FALSE(q.placed("a1", after));
  CHECK(q.placeable("a1", after));
}

TEST_CASE("quarantine: a failed probe quarantines again for twice the back-off, up to the "
          "maximum, and a success resets the back-off") {
  agent_quarantine q{quarantine_three_then_10s()};
  auto now = clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i)
    q.failed("a1", "x", now);
  std::vector<int64_t> backoffs;
  for (int round = 0; round < 5; ++round) {
    auto s = q.status("a1", now);
    backoffs.push_back(s.remaining_ms);
    now += std::chrono::milliseconds{s.remaining_ms};
    REQUIRE(q.placeable("a1", now));
    REQUIRE(q.placed("a1", now));
    CHECK(q.failed("a1", "probe failed", now) == false); // it took no placement already
    CHECK_FALSE(q.placeable("a1", now));
  }
  CHECK(backoffs == std::vector<int64_t>{10000, 20000, 40000, 60000, 60000});
  CHECK(q.succeeded("a1"));
  for (int i = 0; i < 3; ++i)
    q.failed("a1", "x", now);
  CHECK(q.status("a1", now).remaining_ms == 10000);
}

TEST_CASE("quarantine: a late failure of an earlier placement does not lengthen the back-off, a "
          "failure while probing before the probe went quarantines again") {
  agent_quarantine q{quarantine_three_then_10s()};
  auto t0 = clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i)
    q.failed("a1", "x", t0);
  CHECK_FALSE(q.failed("a1", "late", t0 + 5s));
  CHECK(q.status("a1", t0 + 5s).remaining_ms == 5000);
  CHECK(q.status("a1", t0 + 5s).reason == "late");
  // Back-off over, no probe placed yet: a failure (placed before) counts as the probe's.
  CHECK(q.failed("a1", "late again", t0 + 11s));
  CHECK(q.status("a1", t0 + 11s).remaining_ms == 20000);
}

TEST_CASE("quarantine: due() names each agent once when its back-off or its probe's wait ends, "
          "and next_due() says when the next one ends") {
  agent_quarantine q{quarantine_three_then_10s()};
  auto t0 = clock::time_point{} + 1h;
  CHECK_FALSE(q.next_due());
  for (int i = 0; i < 3; ++i) {
    q.failed("a1", "x", t0);
    q.failed("a2", "x", t0 + 4s);
  }
  REQUIRE(q.next_due());
  CHECK(*q.next_due() == t0 + 10s);
  CHECK(q.due(t0 + 9s).empty());
  CHECK(q.due(t0 + 10s) == std::vector<agent_id>{"a1"});
  CHECK(q.due(t0 + 10s).empty());
  CHECK(*q.next_due() == t0 + 14s);
  CHECK(q.due(t0 + 20s) == std::vector<agent_id>{"a2"});
  CHECK_FALSE(q.next_due());
  // A probe that never reports: the agent may take the next probe one back-off later.
  REQUIRE(q.placed("a1", t0 + 20s));
  CHECK(*q.next_due() == t0 + 30s);
  CHECK_FALSE(q.placeable("a1", t0 + 29s));
  CHECK(q.due(t0 + 30s) == std::vector<agent_id>{"a1"});
  CHECK(q.placeable("a1", t0 + 30s));
}

TEST_CASE("quarantine: failures_until_quarantine 0 never quarantines") {
  quarantine_settings s;
  s.failures_until_quarantine = 0;
  agent_quarantine q{s};
  auto t0 = clock::time_point{} + 1h;
  for (int i = 0; i < 100; ++i)
    CHECK_FALSE(q.failed("a1", "x", t0));
  CHECK(q.placeable("a1", t0));
  CHECK(q.held() == 0);
}
