// push_image scenarios of the agent spec, against the harness's local registries (one open,
// one with basic auth). What reached a registry is checked with the registry's own API.

#include <doctest/doctest.h>

#include <cstdio>
#include <memory>

#include "runtime/docker/images.hpp"
#include "support/agent_fixture.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// The HTTP status the registry answers for a manifest, asked with the harness's credentials.
int manifest_status(const std::string& registry, const std::string& repo, const std::string& tag) {
  auto cmd = "curl -s -o /dev/null -w '%{http_code}' -u '" + env_value("BAIKAL_TEST_AUTH_USER") +
             ":" + env_value("BAIKAL_TEST_AUTH_PASSWORD") +
             "' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' http://" +
             registry + "/v2/" + repo + "/manifests/" + tag;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe{popen(cmd.c_str(), "r"), pclose};
  REQUIRE(pipe);
  char buf[16] = {};
  auto n = fread(buf, 1, sizeof buf - 1, pipe.get());
  return std::atoi(std::string(buf, n).c_str());
}

image_ref ref_on(const std::string& registry, const std::string& project, const std::string& name,
                 const std::string& tag) {
  return image_ref{name, project, tag, registry, "amd64", false};
}

image_registry auth_registry(const std::string& user, const std::string& password) {
  auto reg = env_value("BAIKAL_TEST_AUTH_REGISTRY");
  return image_registry{reg, "http://" + reg, user, password};
}

void tag_test_image_as(agent_fixture& f, const image_ref& ref) {
  auto tagged = f.engine(docker::image_tag(env_value("BAIKAL_TEST_IMAGE"), canonical_of(ref)));
  REQUIRE_MESSAGE(tagged, why(tagged));
}

} // namespace

TEST_CASE_FIXTURE(
    agent_fixture,
    "push_image/scenario-1 successful push with authentication to a private registry") {
  auto reg = env_value("BAIKAL_TEST_AUTH_REGISTRY");
  auto ref = ref_on(reg, "myproject", "myimage", "latest");
  tag_test_image_as(*this, ref);
  auto res = ask<ack>(op::push_image{
      ref,
      auth_registry(env_value("BAIKAL_TEST_AUTH_USER"), env_value("BAIKAL_TEST_AUTH_PASSWORD")),
      300.0});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(manifest_status(reg, "myproject/myimage", "latest") == 200);
}

TEST_CASE_FIXTURE(agent_fixture, "push_image/scenario-2 an image marked as local is not pushed") {
  auto reg = env_value("BAIKAL_TEST_REGISTRY");
  image_ref local{"mylocalimg", "", "test", "local", "amd64", true};
  auto res = ask<ack>(op::push_image{local, image_registry{reg, "http://" + reg, "", ""}, 30.0});
  REQUIRE(res);
  CHECK(manifest_status(reg, "mylocalimg", "test") == 404);
}

TEST_CASE_FIXTURE(agent_fixture,
                  "push_image/scenario-3 push failure due to invalid authentication") {
  auto reg = env_value("BAIKAL_TEST_AUTH_REGISTRY");
  auto ref = ref_on(reg, "secureproject", "imageauthfail", "1.0");
  tag_test_image_as(*this, ref);
  auto res = ask<ack>(op::push_image{ref, auth_registry("invalid_user", "wrong_password"), 300.0});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::runtime_error);
  CHECK(message_of(res.error()).find("unauthorized") != std::string::npos);
  CHECK(manifest_status(reg, "secureproject/imageauthfail", "1.0") == 404);
}

TEST_CASE_FIXTURE(agent_fixture, "push_image/scenario-4 push operation timeout") {
  auto reg = env_value("BAIKAL_TEST_AUTH_REGISTRY");
  auto ref = ref_on(reg, "testproject", "verylargeimage", "1.0");
  tag_test_image_as(*this, ref);
  auto res = ask<ack>(op::push_image{
      ref,
      auth_registry(env_value("BAIKAL_TEST_AUTH_USER"), env_value("BAIKAL_TEST_AUTH_PASSWORD")),
      0.01});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::runtime_error);
  CHECK(message_of(res.error()).find("verylargeimage") != std::string::npos);
}
