// The hub applies each numbered event of an agent's stream once: repeats sent again after a
// reconnection are dropped, and an agent process started again begins a new stream.

#include <doctest/doctest.h>

#include "actors/manager/event_stream_filter.hpp"

using namespace baikal;

TEST_CASE("event stream filter: new numbers pass, numbers already applied are repeats") {
  event_stream_filter f;
  CHECK(f.accept("a1", 7, 1));
  CHECK(f.accept("a1", 7, 2));
  CHECK(f.accept("a1", 7, 3));
  // The link sends 2 and 3 again after a reconnection, then 4.
  CHECK_FALSE(f.accept("a1", 7, 2));
  CHECK_FALSE(f.accept("a1", 7, 3));
  CHECK(f.accept("a1", 7, 4));
  CHECK(f.repeats() == 2);
}

TEST_CASE("event stream filter: agents are apart, and a new stream starts over") {
  event_stream_filter f;
  CHECK(f.accept("a1", 7, 5));
  CHECK(f.accept("a2", 9, 1));
  CHECK(f.accept("a2", 9, 2));
  CHECK_FALSE(f.accept("a1", 7, 5));
  // a1 started again: its numbers begin anew.
  CHECK(f.accept("a1", 8, 1));
  CHECK(f.accept("a1", 8, 2));
  CHECK_FALSE(f.accept("a1", 8, 1));
}
