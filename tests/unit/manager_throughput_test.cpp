// A measurement, not a check: how many sessions per second the manager (scheduler, launcher,
// session actors, store) takes from create_session to RUNNING with agents that answer at once.
// Skipped by default; run it by hand:
//   baikal_unit_tests -tc='manager throughput*' --no-skip
// It asserts only that every session got there, never how fast.

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

size_t running_count(manager_fixture& f) {
  auto text = f.ask<std::string>(f.m.front, api::get_metrics{});
  if (!text)
    return 0;
  std::smatch match;
  static const std::regex running{"baikal_sessions\\{status=\"RUNNING\"\\} (\\d+)"};
  return std::regex_search(*text, match, running) ? std::stoul(match[1]) : 0;
}

/// BAIKAL_THROUGHPUT_SESSIONS overrides the number of sessions (10000).
size_t session_count() {
  auto text = std::getenv("BAIKAL_THROUGHPUT_SESSIONS");
  return text ? std::stoul(text) : 10000;
}

void measure(manager_fixture& f, size_t sessions, const char* label) {
  f.settings.phase_probe_after = 60s; // no probe while the agents answer at once
  f.settings.session_start_timeout = 600s;
  f.start();
  for (int i = 0; i < 10; ++i)
    f.join("a" + std::to_string(i), {{"cpu", 1e6}, {"mem", 1e15}});
  auto t0 = std::chrono::steady_clock::now();
  caf::scoped_actor self{*f.sys};
  // One create after the other (as one HTTP client would); the sessions start concurrently.
  for (size_t i = 0; i < sessions; ++i)
    self->request(f.m.front, 600s, api::create_session{manager_fixture::request()})
        .receive([](session_id&) {}, [](caf::error& err) { FAIL(message_of(err)); });
  auto created = std::chrono::steady_clock::now();
  bool all = eventually([&] { return running_count(f) == sessions; }, 600s);
  if (!all)
    MESSAGE(*f.ask<std::string>(f.m.front, api::get_metrics{}));
  REQUIRE(all);
  auto t1 = std::chrono::steady_clock::now();
  auto secs = std::chrono::duration<double>(t1 - t0).count();
  auto create_secs = std::chrono::duration<double>(created - t0).count();
  std::printf("%s: %zu sessions RUNNING in %.2f s (%.0f sessions/s; all created after %.2f s)\n",
              label, sessions, secs, sessions / secs, create_secs);
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "manager throughput: 10000 sessions to RUNNING, store on disk" *
                                       doctest::skip()) {
  measure(*this, session_count(), "SQLite file");
}

TEST_CASE_FIXTURE(manager_fixture, "manager throughput: 10000 sessions to RUNNING, store in "
                                   "memory" *
                                       doctest::skip()) {
  settings.store_path = ":memory:";
  measure(*this, session_count(), "SQLite :memory:");
}
