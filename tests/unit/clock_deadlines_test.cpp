// Deadlines are computed on the monotonic clock: the session's phase timer as plain functions
// fed times (no sleeping), and a scan that keeps the wall clock out of actors/ and runtime/
// except for the one timestamp function.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "actors/manager/session_timing.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

// Any monotonic time but zero (which means "untimed").
const session_clock::time_point t0 = session_clock::time_point{} + 1000h;

} // namespace

TEST_CASE("session timing: a phase is due its probe delay after its last event, RUNNING is due "
          "to park after the idle delay, PENDING and ended sessions are untimed") {
  for (auto s : {session_status::scheduled, session_status::preparing, session_status::pulling,
                 session_status::prepared, session_status::creating, session_status::terminating})
    CHECK(phase_due_after(s, t0, 30s, 10s) == t0 + 30s);
  CHECK(phase_due_after(session_status::running, t0, 30s, 10s) == t0 + 10s);
  CHECK(phase_due_after(session_status::running, t0, 30s, 0s) == t0);
  for (auto s : {session_status::pending, session_status::terminated, session_status::error})
    CHECK(phase_due_after(s, t0, 30s, 10s) == session_clock::time_point{});
}

TEST_CASE("session timing: a timer that fires before the phase is due arms again for the rest, "
          "one that fires after probes, parks or times the start out") {
  auto start = t0;
  auto due = t0 + 30s;
  auto early = decide_phase_timer(session_status::pulling, due, start, t0 + 10s, 1800s);
  CHECK(early.outcome == phase_timer_outcome::early);
  CHECK(early.rearm_after == 20s + 1us);
  CHECK(decide_phase_timer(session_status::pulling, due, start, due, 1800s).outcome ==
        phase_timer_outcome::probe);
  CHECK(decide_phase_timer(session_status::creating, due, start, due + 1s, 1800s).outcome ==
        phase_timer_outcome::probe);
  CHECK(decide_phase_timer(session_status::running, due, start, due, 1800s).outcome ==
        phase_timer_outcome::park);
  CHECK(decide_phase_timer(session_status::terminating, due, start, start + 3600s, 1800s).outcome ==
        phase_timer_outcome::probe); // ending is not starting
  for (auto s : {session_status::preparing, session_status::pulling, session_status::creating}) {
    CHECK(decide_phase_timer(s, start + 1800s, start, start + 1800s, 1800s).outcome ==
          phase_timer_outcome::probe);
    CHECK(decide_phase_timer(s, start + 1800s, start, start + 1800s + 1ms, 1800s).outcome ==
          phase_timer_outcome::start_timed_out);
  }
  CHECK(decide_phase_timer(session_status::pulling, {}, start, t0 + 1h, 1800s).outcome ==
        phase_timer_outcome::untimed);
}

TEST_CASE("session timing: the times are the monotonic clock's, so only time that passed counts") {
  // The functions take steady_clock times only: a wall-clock time does not even convert.
  static_assert(std::is_same_v<session_clock, std::chrono::steady_clock>);
  static_assert(
      !std::is_convertible_v<std::chrono::system_clock::time_point, session_clock::time_point>);
  static_assert(session_clock::is_steady);
  // A wall clock set a day forward, then back, moves nothing here: at the same monotonic
  // "now" the decision is the same.
  auto due = t0 + 30s;
  CHECK(decide_phase_timer(session_status::pulling, due, t0, t0 + 29s, 60s).outcome ==
        phase_timer_outcome::early);
}

TEST_CASE("clock: actors/ and runtime/ read the wall clock only for timestamps, in "
          "runtime/clock/wall_clock.cpp") {
  namespace fs = std::filesystem;
  static const std::regex wall_clock_reads{
      R"(system_clock|gettimeofday|CLOCK_REALTIME|\btime\s*\(\s*(nullptr|NULL|0)\s*\)|)"
      R"(\bstd::time\s*\(|deadline_timer|system_timer|\bftime\s*\()"};
  std::vector<std::string> found;
  for (auto folder : {"actors", "runtime"})
    for (auto& entry : fs::recursive_directory_iterator(fs::path{BAIKAL_SOURCE_DIR} / folder)) {
      auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp"))
        continue;
      auto relative = fs::relative(entry.path(), BAIKAL_SOURCE_DIR).string();
      if (relative == "runtime/clock/wall_clock.cpp" || relative == "runtime/clock/wall_clock.hpp")
        continue;
      std::ifstream in{entry.path()};
      int n = 0;
      for (std::string line; std::getline(in, line);) {
        ++n;
        if (std::regex_search(line, wall_clock_reads))
          found.push_back(relative + ":" + std::to_string(n) + ": " + line);
      }
    }
  std::string list;
  for (auto& f : found)
    list += f + "\n";
  CHECK_MESSAGE(found.empty(), "measure durations on steady_clock; timestamps come from "
                               "wall_clock_ms():\n"
                                   << list);
}
