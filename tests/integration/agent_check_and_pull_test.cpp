// check_and_pull against the harness's local registry: pull jobs, their events, joining a
// running job, and failures.

#include <doctest/doctest.h>

#include <thread>

#include "runtime/docker/images.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/registry_tag.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

image_config registry_image(const std::string& canonical) {
  image_config cfg;
  cfg.canonical = canonical;
  cfg.architecture = "x86_64";
  cfg.auto_pull = auto_pull_policy::tag;
  auto reg = env_value("BAIKAL_TEST_REGISTRY");
  cfg.registry = image_registry{reg, "http://" + reg, "", ""};
  return cfg;
}

/// A tag of the test image in the registry that this test alone pulls (registry_tag.hpp).
std::string own_registry_image(agent_fixture& f, const std::string& what) {
  auto ref = push_own_registry_tag([&](docker_call c) { return f.engine(std::move(c)); },
                                   what + "-" + unique_suffix());
  REQUIRE_MESSAGE(ref, why(ref));
  return *ref;
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "check_and_pull pulls a missing image from the registry") {
  auto image = own_registry_image(*this, "pull");
  auto res = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  REQUIRE_MESSAGE(res, why(res));
  REQUIRE(res->jobs.count(image) == 1);
  CHECK(!res->jobs[image].empty());
  CHECK(eventually([&] { return !events->matching("ImagePullFinishedEvent " + image).empty(); }));
  CHECK(events->matching("ImagePullStartedEvent " + image).size() == 1);
  CHECK(events->matching("ImagePullFailedEvent").empty());
  CHECK(engine(docker::image_inspect(image)));
}

TEST_CASE_FIXTURE(agent_fixture, "check_and_pull of an image already present only finishes") {
  // A name of its own, present in the engine: no pull is needed.
  auto image = env_value("BAIKAL_TEST_REGISTRY") + "/baikal-test/present:" + unique_suffix();
  REQUIRE(engine(docker::image_tag(env_value("BAIKAL_TEST_IMAGE"), image)));
  auto res = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  REQUIRE(res);
  CHECK(eventually([&] { return !events->matching("ImagePullFinishedEvent " + image).empty(); }));
  CHECK(events->matching("ImagePullStartedEvent").empty());
}

TEST_CASE_FIXTURE(agent_fixture, "check_and_pull joins the job already pulling an image") {
  auto image = own_registry_image(*this, "join");
  auto first = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  auto second = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->jobs[image] == second->jobs[image]);
  CHECK(eventually([&] { return !events->matching("ImagePullFinishedEvent " + image).empty(); }));
  CHECK(events->matching("ImagePullStartedEvent " + image).size() == 1);
  CHECK(eventually([&] {
    auto probe = ask<probe_result>(op::check_pulling{image});
    return probe && !probe->active;
  }));
}

TEST_CASE_FIXTURE(agent_fixture, "check_and_pull of an image the registry lacks fails") {
  auto image = env_value("BAIKAL_TEST_REGISTRY") + "/baikal-test/missing:404";
  auto res = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  REQUIRE(res);
  CHECK(eventually([&] { return !events->matching("ImagePullFailedEvent " + image).empty(); }));
  CHECK(events->matching("ImagePullFinishedEvent " + image).empty());
}

TEST_CASE_FIXTURE(agent_fixture,
                  "check_and_pull past the pull timeout reports ImagePullFailedEvent") {
  // No pull from a registry finishes within a millisecond.
  settings.image_pull_timeout = 0.001;
  respawn_agent();
  auto image = own_registry_image(*this, "timeout");
  auto res = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  REQUIRE_MESSAGE(res, why(res));
  REQUIRE(eventually([&] { return !events->matching("ImagePullFailedEvent " + image).empty(); }));
  auto failed = events->matching("ImagePullFailedEvent " + image).front();
  CHECK(failed.find("in time") != std::string::npos);
  CHECK(events->matching("ImagePullFinishedEvent " + image).empty());
  // The job is over: the next request starts a new one, which (with the timeout back) succeeds.
  settings.image_pull_timeout = 3600;
  respawn_agent();
  auto again = ask<pull_jobs>(op::check_and_pull{{{image, registry_image(image)}}});
  REQUIRE(again);
  CHECK(eventually([&] { return !events->matching("ImagePullFinishedEvent " + image).empty(); }));
}
