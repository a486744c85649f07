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
