#include <doctest/doctest.h>

#include "actors/agent/network_names.hpp"
#include "messages/errors.hpp"

using namespace baikal;

TEST_CASE("network names: ordinary names pass") {
  CHECK(!validate_network_name("test-new-network-01"));
  CHECK(!validate_network_name("bai-singlenode-1b2c"));
  CHECK(!validate_network_name("a.b_c-d"));
}

TEST_CASE("network names: the spec's invalid name and other oddities are refused") {
  for (auto name : {"invalid@name#for_net", "", "-leading-dash", "has space", "a/b"}) {
    auto err = validate_network_name(name);
    CAPTURE(name);
    REQUIRE(err);
    CHECK(code_of(err) == errc::invalid_argument);
  }
  CHECK(!validate_network_name(std::string(64, 'a')));
  CHECK(validate_network_name(std::string(65, 'a')));
}

TEST_CASE("network names: single-node sessions get bai-singlenode-{session_id}") {
  CHECK(singlenode_network_name("s1") == "bai-singlenode-s1");
}
