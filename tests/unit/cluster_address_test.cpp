#include <doctest/doctest.h>

#include "actors/agent/agent_capacity.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"

using namespace baikal;

TEST_CASE("cluster: HOST:PORT parses, IPv6 in brackets too, and prints back") {
  auto a = cluster::parse_host_port("10.0.0.5:6100");
  REQUIRE(a);
  CHECK(a->host == "10.0.0.5");
  CHECK(a->port == 6100);
  CHECK(cluster::to_string(*a) == "10.0.0.5:6100");
  auto b = cluster::parse_host_port("[::1]:0");
  REQUIRE(b);
  CHECK(b->host == "::1");
  CHECK(b->port == 0);
  CHECK(cluster::to_string(*b) == "[::1]:0");
  auto c = cluster::parse_host_port("manager.example:65535");
  REQUIRE(c);
  CHECK(c->host == "manager.example");
}

TEST_CASE("cluster: a malformed address is invalid_argument with an example") {
  for (auto text :
       {"", "host", "host:", ":6100", "host:65536", "host:-1", "host:61OO", "host:1234567"}) {
    INFO(text);
    auto r = cluster::parse_host_port(text);
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == errc::invalid_argument);
    CHECK(message_of(r.error()).find("expected HOST:PORT") != std::string::npos);
  }
}

TEST_CASE("cluster: an agent offers its cores, memory and GPUs, configured slots winning") {
  hardware_info hw;
  hw.kinds["cpu"].metadata = {{"cores", "8"}, {"model", "x"}};
  hw.kinds["memory"].metadata = {{"total_bytes", "17179869184"}};
  hw.kinds["gpu"].metadata = {{"count", "2"}};
  auto slots = agent_capacity(hw);
  CHECK(slots.at("cpu") == 8);
  CHECK(slots.at("mem") == 17179869184.0);
  CHECK(slots.at("cuda.device") == 2);
  slots = agent_capacity(hw, {{"cpu", 2}});
  CHECK(slots.at("cpu") == 2);
  CHECK(slots.at("mem") == 17179869184.0);
}

TEST_CASE("cluster: slots the host did not report are left out, not zero") {
  hardware_info hw;
  hw.kinds["cpu"].metadata = {{"cores", "garbage"}};
  hw.kinds["gpu"].metadata = {{"count", "0"}};
  auto slots = agent_capacity(hw);
  CHECK(slots.empty());
}
