#include <doctest/doctest.h>

#include "actors/agent/port_pool.hpp"
#include "messages/errors.hpp"

using namespace baikal;

TEST_CASE("port_pool: assigns the lowest free port and reuses released ones") {
  port_pool pool{30000, 30002};
  CHECK(*pool.assign() == 30000);
  CHECK(*pool.assign() == 30001);
  CHECK(pool.release(30000));
  CHECK(*pool.assign() == 30000);
  CHECK(pool.free_count() == 1);
}

TEST_CASE("port_pool: an exhausted range is an unavailable error that names the range") {
  port_pool pool{30000, 30000};
  REQUIRE(pool.assign());
  auto next = pool.assign();
  REQUIRE(!next);
  CHECK(code_of(next.error()) == errc::unavailable);
  CHECK(message_of(next.error()).find("30000-30000") != std::string::npos);
}

TEST_CASE("port_pool: reserve refuses ports outside the range or already taken") {
  port_pool pool{30000, 30010};
  CHECK(pool.reserve(30005));
  CHECK(!pool.reserve(30005));
  CHECK(!pool.reserve(29999));
  CHECK(!pool.release(30006));
}

TEST_CASE("port_pool: a quarantined port is not handed out until its time has passed") {
  port_pool pool{30000, 30002};
  auto now = port_pool::clock::now();
  REQUIRE(*pool.assign() == 30000);
  pool.quarantine(30000, now + std::chrono::minutes(5));
  CHECK(pool.quarantined_count() == 1);
  pool.release_expired(now);
  CHECK(*pool.assign() == 30001); // 30000 stays out
  pool.release_expired(now + std::chrono::minutes(5));
  CHECK(pool.quarantined_count() == 0);
  CHECK(*pool.assign() == 30000);
}

TEST_CASE("port_pool: only assigned ports are quarantined, and a release ends the quarantine") {
  port_pool pool{30000, 30002};
  auto now = port_pool::clock::now();
  pool.quarantine(30001, now + std::chrono::minutes(5)); // not assigned: ignored
  CHECK(pool.quarantined_count() == 0);
  REQUIRE(*pool.assign() == 30000);
  pool.quarantine(30000, now + std::chrono::minutes(5));
  CHECK(pool.release(30000));
  CHECK(pool.quarantined_count() == 0);
  CHECK(pool.free_count() == 3);
}
