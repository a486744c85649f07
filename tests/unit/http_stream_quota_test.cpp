// Event streams per user: a user holds at most the quota's places; a place comes back when its
// token is dropped, whoever drops it last, and users do not share places.

#include <doctest/doctest.h>

#include "actors/manager/http/stream_quota.hpp"

using namespace baikal;

TEST_CASE("stream quota: a user holds at most N places, and a dropped place is free again") {
  stream_quota quota{2};
  auto a1 = quota.take("alice");
  auto a2 = quota.take("alice");
  REQUIRE(static_cast<bool>(a1));
  REQUIRE(static_cast<bool>(a2));
  CHECK(!static_cast<bool>(quota.take("alice")));
  CHECK(quota.held("alice") == 2);
  auto b1 = quota.take("bob"); // another user's places are separate
  CHECK(static_cast<bool>(b1));
  a1.reset();
  CHECK(quota.held("alice") == 1);
  auto a3 = quota.take("alice");
  CHECK(static_cast<bool>(a3));
  a2.reset();
  a3.reset();
  CHECK(quota.held("alice") == 0);
}

TEST_CASE("stream quota: a place may outlive its quota") {
  std::shared_ptr<void> place;
  {
    stream_quota quota{1};
    place = quota.take("alice");
  }
  CHECK(static_cast<bool>(place));
  place.reset(); // gives the place back to counts the quota no longer owns alone
}
