// Turning a create request into a session: what is refused and why, how an image reference
// becomes an image config, and the kernels a session gets before it is scheduled.

#include <doctest/doctest.h>

#include <set>

#include "actors/manager/session_request.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

session_request valid() {
  session_request r;
  r.owner = "alice";
  r.image = "python:3.9";
  return r;
}

std::string refusal(const session_request& r) {
  auto err = validate(r);
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  return message_of(err);
}

} // namespace

TEST_CASE("manager request: a valid request passes and bad ones say what to fix") {
  CHECK_FALSE(validate(valid()));
  auto r = valid();
  r.mode = static_cast<cluster_mode>(7);
  CHECK(refusal(r) == "unknown cluster mode 7: use 'single-node' or 'multi-node'");
  r = valid();
  r.cluster_size = 0;
  CHECK(refusal(r) == "cluster_size must be at least 1, got 0");
  r = valid();
  r.image.clear();
  CHECK(refusal(r).find("a session needs an image") == 0);
  r = valid();
  r.network = network_type::persistent;
  CHECK(refusal(r).find("needs 'network_id'") != std::string::npos);
  r = valid();
  r.resources = {{"cpu", -1}};
  CHECK(refusal(r) == "resource 'cpu' must not be negative");
}

TEST_CASE("manager request: an image is resolved from the settings, else from its reference") {
  image_config configured;
  configured.canonical = "cr.backend.ai/stable/python:3.9";
  configured.digest = "sha256:abc";
  std::map<std::string, image_config> images{{"python", configured}};
  CHECK(resolve_image("python", images).digest == "sha256:abc");
  CHECK(resolve_image("cr.backend.ai/stable/python:3.9", images).digest == "sha256:abc");

  auto hosted = resolve_image("127.0.0.1:5000/baikal-test/busybox:1", {});
  CHECK(hosted.canonical == "127.0.0.1:5000/baikal-test/busybox:1");
  CHECK(hosted.registry.name == "127.0.0.1:5000");
  CHECK(hosted.project == "baikal-test");
  CHECK(hosted.digest.empty()); // pulled only when absent

  auto hub = resolve_image("baikal-test/busybox", {});
  CHECK(hub.canonical == "baikal-test/busybox:latest");
  CHECK(hub.registry.name == "index.docker.io");
  CHECK(hub.project == "baikal-test");
}

TEST_CASE("manager request: a session gets fresh kernels with roles, indexes and hostnames") {
  auto r = valid();
  r.cluster_size = 3;
  r.resources = {{"cpu", 0.5}};
  auto image = resolve_image(r.image, {});
  auto s = make_session(r, image, "default");
  CHECK(s.id.size() == 36);
  CHECK(s.user_uuid == "alice");
  CHECK(s.scaling_group == "default");
  REQUIRE(s.kernels.size() == 3);
  std::set<std::string> ids{s.id};
  for (auto& k : s.kernels) {
    ids.insert(k.id);
    CHECK(k.agent.empty()); // not scheduled yet
    CHECK(k.image == "python:3.9");
    CHECK(k.slots.at("cpu") == 0.5);
    CHECK(k.slots.count("mem") == 1); // defaulted
    CHECK(k.uid == 1000);
  }
  CHECK(ids.size() == 4);
  CHECK(s.kernels[0].cluster_hostname == "main1");
  CHECK(s.kernels[1].cluster_hostname == "sub1");
  CHECK(s.kernels[2].cluster_hostname == "sub2");
  CHECK(s.kernels[2].cluster_idx == 2);
}

TEST_CASE("manager request: a slot no agent offers is refused naming it, while cpu and mem always "
          "pass") {
  std::set<std::string> offered{"cpu", "mem"};
  CHECK(!check_slots_offered({{"cpu", 1}, {"mem", 1 << 30}}, offered));
  auto err = check_slots_offered({{"cpu", 1}, {"gpu", 1}}, offered);
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  CHECK(message_of(err).find("resources.gpu: no agent offers the slot \"gpu\"") == 0);
  CHECK(message_of(err).find("cpu, mem") != std::string::npos);
  offered.insert("cuda.device");
  CHECK(!check_slots_offered({{"cuda.device", 1}}, offered));
}
