// The overlay plugin's plain functions: the network it asks Docker for and its error messages.

#include <doctest/doctest.h>

#include "actors/manager/overlay_network_plugin.hpp"
#include "messages/errors.hpp"

using namespace baikal;

TEST_CASE("overlay plugin: the network of a session") {
  auto spec = overlay_network_spec("3f2c");
  CHECK(spec.name == "bai-multinode-3f2c");
  CHECK(spec.driver == "overlay");
  CHECK(spec.attachable);
  CHECK_FALSE(spec.internal);
  CHECK(spec.labels == std::map<std::string, std::string>{{"ai.backend.cluster-network", "1"}});
}

TEST_CASE("overlay plugin: an engine that is not a swarm manager is named with its fix") {
  // Docker 20.10's own answer (500) to an overlay network on an engine outside a swarm.
  auto docker =
      make_error(errc::runtime_error,
                 "This node is not a swarm manager. Use \"docker swarm init\" or \"docker "
                 "swarm join\" to connect this node to swarm and try again.");
  auto err = overlay_create_error(docker, "bai-multinode-s1");
  CHECK(code_of(err) == errc::unavailable);
  auto text = message_of(err);
  CHECK(text.find("bai-multinode-s1") != std::string::npos);
  CHECK(text.find("is not a swarm manager") != std::string::npos);
  CHECK(text.find("run `docker swarm init`") != std::string::npos);
  CHECK(text.find("Docker said: This node is not a swarm manager.") != std::string::npos);
}

TEST_CASE("overlay plugin: other Docker errors keep their code and text") {
  auto err = overlay_create_error(make_error(errc::conflict, "network with name x already exists"),
                                  "bai-multinode-s1");
  CHECK(code_of(err) == errc::conflict);
  CHECK(message_of(err) ==
        "cannot create overlay network bai-multinode-s1: network with name x already exists");
}
