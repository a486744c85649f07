#pragma once

/// A tag of the test image of its own in the harness's registry, for a test that pulls it. The
/// docker tests run two at a time on one engine: tests that removed and pulled one shared name
/// removed it under each other's pulls, or tagged it back while another expected it missing.

#include <functional>
#include <string>

#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/images.hpp"
#include "support/test_env.hpp"

namespace baikal::test {

using engine_call = std::function<caf::expected<docker_reply>(docker_call)>;

/// Pushes the test image to the registry as "REGISTRY/baikal-test/busybox:TAG" and removes that
/// name from the engine (its layers stay, shared with the test image), so that pulling it has
/// work to do; the error says which step failed.
inline caf::expected<std::string> push_own_registry_tag(const engine_call& engine,
                                                        const std::string& tag) {
  auto registry = env_value("BAIKAL_TEST_REGISTRY");
  auto ref = registry + "/baikal-test/busybox:" + tag;
  auto step = [&](const std::string& what, docker_call call) -> caf::error {
    auto r = engine(std::move(call));
    if (!r)
      return make_error(code_of(r.error()), what + " " + ref + ": " + message_of(r.error()));
    // A push answers 200 and reports a failure in its stream.
    if (r->body.find("\"errorDetail\"") != std::string::npos)
      return make_error(errc::runtime_error, what + " " + ref + ": " + r->body);
    return caf::none;
  };
  if (auto err = step("tagging", docker::image_tag(env_value("BAIKAL_TEST_IMAGE"), ref)))
    return err;
  if (auto err = step("pushing", docker::image_push(ref, {"", "", registry})))
    return err;
  if (auto err = step("untagging", docker::image_delete(ref, false, false)))
    return err;
  return ref;
}

} // namespace baikal::test
