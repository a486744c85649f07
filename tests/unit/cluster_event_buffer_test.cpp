#include <doctest/doctest.h>

#include <string>

#include <caf/make_message.hpp>

#include "actors/agent/event_buffer.hpp"
#include "messages/events.hpp"

using namespace baikal;

namespace {

std::string kernel_of(const caf::message& m) {
  REQUIRE(m.match_elements<kernel_started_event>());
  return m.get_as<kernel_started_event>(0).header.kernel;
}

caf::message started(const std::string& kernel) {
  kernel_started_event e;
  e.header.kernel = kernel;
  return caf::make_message(e);
}

} // namespace

TEST_CASE("cluster: the event buffer hands events back in the order they came, then is empty") {
  event_buffer buf{10};
  for (auto k : {"k1", "k2", "k3"})
    CHECK_FALSE(buf.push(started(k)));
  CHECK(buf.size() == 3);
  auto out = buf.drain();
  REQUIRE(out.size() == 3);
  CHECK(kernel_of(out[0]) == "k1");
  CHECK(kernel_of(out[2]) == "k3");
  CHECK(buf.size() == 0);
  CHECK(buf.drain().empty());
  CHECK(buf.dropped() == 0);
}

TEST_CASE("cluster: a full event buffer drops the oldest event and says so") {
  event_buffer buf{3};
  for (auto k : {"k1", "k2", "k3"})
    CHECK_FALSE(buf.push(started(k)));
  CHECK(buf.push(started("k4")));
  CHECK(buf.push(started("k5")));
  CHECK(buf.dropped() == 2);
  auto out = buf.drain();
  REQUIRE(out.size() == 3);
  CHECK(kernel_of(out[0]) == "k3");
  CHECK(kernel_of(out[1]) == "k4");
  CHECK(kernel_of(out[2]) == "k5");
  // Dropped counts survive a drain: the link reports drops per outage from the difference.
  CHECK_FALSE(buf.push(started("k6")));
  CHECK(buf.dropped() == 2);
}

TEST_CASE("cluster: an event buffer of capacity zero still keeps the newest event") {
  event_buffer buf{0};
  CHECK(buf.capacity() == 1);
  CHECK_FALSE(buf.push(started("k1")));
  CHECK(buf.push(started("k2")));
  auto out = buf.drain();
  REQUIRE(out.size() == 1);
  CHECK(kernel_of(out[0]) == "k2");
}

TEST_CASE("cluster: events sent but not confirmed go back ahead of the newer ones kept, and an "
          "overflow drops the oldest") {
  event_buffer buf{4};
  buf.push(started("k3"));
  buf.push(started("k4"));
  CHECK(buf.requeue({started("k1"), started("k2")}) == 0);
  auto out = buf.drain();
  REQUIRE(out.size() == 4);
  CHECK(kernel_of(out[0]) == "k1");
  CHECK(kernel_of(out[1]) == "k2");
  CHECK(kernel_of(out[3]) == "k4");
  buf.push(started("k4"));
  buf.push(started("k5"));
  buf.push(started("k6"));
  CHECK(buf.requeue({started("k1"), started("k2"), started("k3")}) == 2);
  CHECK(buf.dropped() == 2);
  out = buf.drain();
  REQUIRE(out.size() == 4);
  CHECK(kernel_of(out[0]) == "k3");
  CHECK(kernel_of(out[3]) == "k6");
}
