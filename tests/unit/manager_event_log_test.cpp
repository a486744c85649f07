// The replay buffer of GET /v1/events: ids rise by one from the first, a replay gives the kept
// events above the client's id that its selection wants, and what is no longer kept (or an id
// this process never gave) is announced as a gap.

#include <doctest/doctest.h>

#include <vector>

#include "actors/manager/event_log.hpp"

using namespace baikal;

namespace {

std::vector<uint64_t> ids_of(const event_replay& r) {
  std::vector<uint64_t> out;
  for (auto& e : r.events)
    out.push_back(e.id);
  return out;
}

} // namespace

TEST_CASE("event log: ids rise by one from the first and a replay gives the events after an id") {
  event_log log{10, 100};
  CHECK(log.last_id() == 99);
  CHECK(log.add("kernel_started", "s1", "{}").id == 100);
  CHECK(log.add("kernel_started", "s2", "{}").id == 101);
  CHECK(log.add("image_pull", "", "{}").id == 102);
  CHECK(log.last_id() == 102);
  auto r = log.since(100, {});
  CHECK_FALSE(r.gap);
  CHECK(ids_of(r) == std::vector<uint64_t>{101, 102});
  CHECK(r.last_id == 102);
  // Up to date: nothing to replay, no gap.
  auto none = log.since(102, {});
  CHECK(none.events.empty());
  CHECK_FALSE(none.gap);
  // The id just before the first: everything, no gap.
  CHECK(ids_of(log.since(99, {})) == std::vector<uint64_t>{100, 101, 102});
  CHECK_FALSE(log.since(99, {}).gap);
}

TEST_CASE("event log: a replay keeps to the selection's session and types") {
  event_log log{10, 1};
  log.add("kernel_started", "s1", "{}");    // 1
  log.add("kernel_started", "s2", "{}");    // 2
  log.add("kernel_terminated", "s1", "{}"); // 3
  log.add("image_pull", "", "{}");          // 4
  CHECK(ids_of(log.since(0, event_selection{"s1", {}})) == std::vector<uint64_t>{1, 3});
  CHECK(ids_of(log.since(0, event_selection{"", {"kernel_started", "image_pull"}})) ==
        std::vector<uint64_t>{1, 2, 4});
  CHECK(ids_of(log.since(1, event_selection{"s1", {"kernel_terminated"}})) ==
        std::vector<uint64_t>{3});
  CHECK(selects(event_selection{}, published_event{9, "image_pull", "", "{}"}));
  CHECK_FALSE(selects(event_selection{"s1", {}}, published_event{9, "image_pull", "", "{}"}));
}

TEST_CASE("event log: events evicted from a small buffer are announced as a gap before the "
          "rest") {
  event_log log{3, 1};
  for (int i = 0; i < 7; ++i)
    log.add("kernel_started", "s1", "{}");
  // Kept: 5, 6, 7. A client that saw 2 missed 3 and 4 for good.
  REQUIRE(log.size() == 3);
  auto r = log.since(2, {});
  REQUIRE(r.gap);
  CHECK(r.gap->from == 3);
  CHECK(r.gap->to == 4);
  CHECK(ids_of(r) == std::vector<uint64_t>{5, 6, 7});
  // A client that saw 4 missed nothing that is lost.
  CHECK_FALSE(log.since(4, {}).gap);
  CHECK(ids_of(log.since(4, {})) == std::vector<uint64_t>{5, 6, 7});
}

TEST_CASE("event log: an id from an earlier process is old: a gap up to this process's first "
          "kept id, then its events") {
  // The process started at "time" 1000; the client saw 500 from the one before.
  event_log log{10, 1000};
  log.add("kernel_started", "s1", "{}");
  log.add("kernel_started", "s1", "{}");
  auto r = log.since(500, {});
  REQUIRE(r.gap);
  CHECK(r.gap->from == 501);
  CHECK(r.gap->to == 999);
  CHECK(ids_of(r) == std::vector<uint64_t>{1000, 1001});
}

TEST_CASE("event log: an id above the newest given cannot be placed: a gap up to the newest, "
          "no replay") {
  event_log log{10, 1000};
  log.add("kernel_started", "s1", "{}");
  auto r = log.since(5000, {});
  REQUIRE(r.gap);
  CHECK(r.gap->from == 0);
  CHECK(r.gap->to == 1000);
  CHECK(r.events.empty());
  CHECK(r.last_id == 1000);
}

TEST_CASE("event log: ids from the clock rise across restarts") {
  auto first = event_ids_from_clock();
  CHECK(first > 1'600'000'000'000'000ULL); // microseconds since 1970, after 2020
  CHECK(event_ids_from_clock() >= first);
}
