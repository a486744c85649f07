// create_local_network / destroy_local_network scenarios of the agent spec, against the
// harness's private Docker engine.

#include <doctest/doctest.h>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/networks.hpp"
#include "support/agent_fixture.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

caf::expected<docker::network_info> inspect_network(agent_fixture& f, const std::string& name) {
  auto reply = f.engine(docker::network_inspect(name));
  if (!reply)
    return reply.error();
  return docker::parse_network_info(reply->body);
}

void remove_network(agent_fixture& f, const std::string& name) {
  (void)f.engine(docker::network_delete(name));
}

/// Starts a long-running container attached to `network`; answers its id.
std::string run_container_on(agent_fixture& f, const std::string& network) {
  docker::container_spec spec;
  spec.image = env_value("BAIKAL_TEST_IMAGE");
  spec.cmd = {"sleep", "3600"};
  spec.init = true;
  spec.network_mode = network;
  auto created = f.engine(docker::container_create(spec));
  REQUIRE(created);
  auto id = docker::parse_id(created->body);
  REQUIRE(id);
  REQUIRE(f.engine(docker::container_start(*id)));
  return *id;
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "create_local_network/scenario-1 create a new network") {
  const std::string name = "test-new-network-01";
  remove_network(*this, name);
  auto res = ask<ack>(op::create_local_network{name});
  REQUIRE_MESSAGE(res, why(res));
  auto net = inspect_network(*this, name);
  REQUIRE(net);
  CHECK(net->name == name);
  CHECK(net->driver == "bridge");
  CHECK(net->labels["ai.backend.cluster-network"] == "1");
  remove_network(*this, name);
}

TEST_CASE_FIXTURE(agent_fixture, "create_local_network/scenario-2 a network that already exists") {
  const std::string name = "existing-network-02";
  remove_network(*this, name);
  REQUIRE(ask<ack>(op::create_local_network{name}));
  auto before = inspect_network(*this, name);
  REQUIRE(before);
  auto res = ask<ack>(op::create_local_network{name});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::conflict);
  CHECK(message_of(res.error()).find("already exists") != std::string::npos);
  auto after = inspect_network(*this, name);
  REQUIRE(after);
  CHECK(after->id == before->id);
  CHECK(after->labels == before->labels);
  remove_network(*this, name);
}

TEST_CASE_FIXTURE(agent_fixture, "create_local_network/scenario-3 an invalid name") {
  const std::string name = "invalid@name#for_net";
  auto res = ask<ack>(op::create_local_network{name});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::invalid_argument);
  auto listed = engine(docker::network_list({}));
  REQUIRE(listed);
  auto nets = docker::parse_network_list(listed->body);
  REQUIRE(nets);
  for (auto& net : *nets)
    CHECK(net.name != name);
}

TEST_CASE_FIXTURE(agent_fixture, "destroy_local_network/scenario-1 destroy an unused network") {
  const std::string name = "delete-me-network-A";
  remove_network(*this, name);
  REQUIRE(ask<ack>(op::create_local_network{name}));
  auto res = ask<ack>(op::destroy_local_network{name});
  REQUIRE_MESSAGE(res, why(res));
  auto gone = inspect_network(*this, name);
  REQUIRE(!gone);
  CHECK(code_of(gone.error()) == errc::not_found);
}

TEST_CASE_FIXTURE(agent_fixture, "destroy_local_network/scenario-2 a network that does not exist") {
  const std::string name = "non-existent-network-B";
  remove_network(*this, name);
  auto res = ask<ack>(op::destroy_local_network{name});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::not_found);
  CHECK(message_of(res.error()).find("not found") != std::string::npos);
}

TEST_CASE_FIXTURE(agent_fixture, "destroy_local_network/scenario-3 a network in use") {
  const std::string name = "busy-network-C";
  remove_network(*this, name);
  REQUIRE(ask<ack>(op::create_local_network{name}));
  auto container = run_container_on(*this, name);
  auto res = ask<ack>(op::destroy_local_network{name});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::conflict);
  CHECK(message_of(res.error()).find("active endpoints") != std::string::npos);
  auto net = inspect_network(*this, name);
  REQUIRE(net);
  auto info = engine(docker::container_inspect(container));
  REQUIRE(info);
  auto parsed = docker::parse_container_info(info->body);
  REQUIRE(parsed);
  CHECK(parsed->running);
  CHECK(std::find(parsed->networks.begin(), parsed->networks.end(), name) !=
        parsed->networks.end());
  REQUIRE(engine(docker::container_remove(container, true, true)));
  remove_network(*this, name);
}
