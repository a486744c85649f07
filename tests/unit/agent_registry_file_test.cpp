// The kernel registry file without an agent: what is written reads back, and a file cut short
// is refused rather than half-read.

#include <doctest/doctest.h>

#include "actors/agent/registry_file.hpp"
#include "messages/errors.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;

TEST_CASE("the registry file keeps each kernel's session, container, slots and service ports") {
  kernel_info k;
  k.id = "k-1";
  k.session = "s-1";
  k.container_id = "c0ffee";
  k.slots = {{"cpu", 1.5}, {"mem", 268435456}};
  k.service_ports = {{"httpd", "http", {8080}, {30001}}};
  auto text = encode_registry_file("agent-7", {k});
  auto back = decode_registry_file(text);
  REQUIRE_MESSAGE(back, why(back));
  REQUIRE(back->size() == 1);
  auto& r = back->at("k-1");
  CHECK(r.session == "s-1");
  CHECK(r.container_id == "c0ffee");
  CHECK(r.slots == k.slots);
  REQUIRE(r.service_ports.size() == 1);
  CHECK(r.service_ports[0].host_ports == std::vector<uint16_t>{30001});

  auto empty = decode_registry_file(encode_registry_file("agent-7", {}));
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("a registry file cut short or without kernel ids is refused") {
  kernel_info k;
  k.id = "k-1";
  auto text = encode_registry_file("agent-7", {k});
  auto cut = decode_registry_file(text.substr(0, text.size() / 2));
  REQUIRE(!cut);
  CHECK(code_of(cut.error()) == errc::invalid_argument);
  CHECK(!decode_registry_file(R"({"agent":"a","kernels":[{"session":"s"}]})"));
  CHECK(!decode_registry_file(""));
}

TEST_CASE("the registry file lives under var-base-path and names the agent") {
  agent_settings s;
  s.var_base_path = "/var/lib/baikal";
  s.id = "agent-3";
  CHECK(registry_file_path(s) == "/var/lib/baikal/last_registry.agent-3.dat");
}
