// Networks through the Docker actor.

#include "integration/docker_fixture.hpp"

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/networks.hpp"

using namespace baikal;
using namespace baikal::docker;
using namespace baikal::test;

TEST_CASE_FIXTURE(docker_fixture, "docker: network create, inspect, list, duplicate, delete") {
  network_spec spec;
  spec.name = unique_name("bai-test-net");
  spec.labels = {{"ai.backend.cluster-network", "1"}};
  spec.attachable = true;
  auto id = parse_id(ok(network_create(spec)).body);
  REQUIRE(id);
  auto info = parse_network_info(ok(network_inspect(spec.name)).body);
  REQUIRE(info);
  CHECK(info->id == *id);
  CHECK(info->driver == "bridge");
  CHECK(info->attachable);
  CHECK(info->labels.at("ai.backend.cluster-network") == "1");

  auto listed = parse_network_list(ok(network_list({{"name", {spec.name}}})).body);
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK(listed->at(0).name == spec.name);

  auto dup = call(network_create(spec));
  REQUIRE_FALSE(dup);
  CHECK(code_of(dup.error()) == errc::conflict);
  CHECK(message_of(dup.error()) == "network with name " + spec.name + " already exists");

  ok(network_delete(spec.name));
  auto gone = call(network_delete(spec.name));
  REQUIRE_FALSE(gone);
  CHECK(code_of(gone.error()) == errc::not_found);
  CHECK(message_of(gone.error()) == "network " + spec.name + " not found");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: a network in use by a running container stays") {
  network_spec net;
  net.name = unique_name("bai-test-busy");
  ok(network_create(net));
  container_spec spec;
  spec.name = unique_name("baikal-net-user");
  spec.image = image;
  spec.cmd = {"sleep", "3600"};
  spec.init = true;
  spec.network_mode = net.name;
  auto cid = parse_id(ok(container_create(spec)).body);
  REQUIRE(cid);
  ok(container_start(*cid));
  auto ct = parse_container_info(ok(container_inspect(*cid)).body);
  REQUIRE(ct);
  CHECK(ct->networks == std::vector<std::string>{net.name});

  auto busy = call(network_delete(net.name));
  REQUIRE_FALSE(busy);
  CHECK(code_of(busy.error()) == errc::permission_denied);
  CHECK(message_of(busy.error()).find("has active endpoints") != std::string::npos);
  CHECK(call(network_inspect(net.name)));

  ok(container_remove(*cid, true, true));
  ok(network_delete(net.name));
}
