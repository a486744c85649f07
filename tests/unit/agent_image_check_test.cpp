// The decision each kernel of a create_kernels call takes from its image's shared check
// (actors/agent/image_check.hpp): no Docker engine, the check's outcome is set by hand.

#include <doctest/doctest.h>

#include "actors/agent/image_check.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

image_config config(auto_pull_policy policy, bool is_local = false,
                    const std::string& digest = "") {
  image_config image;
  image.canonical = "registry.test/project/app:1";
  image.auto_pull = policy;
  image.is_local = is_local;
  image.digest = digest;
  return image;
}

image_check inspected(std::optional<docker::image_info> local) {
  image_check check;
  check.inspect_sent = check.inspected = true;
  check.local = std::move(local);
  return check;
}

docker::image_info local_image(const std::string& id) {
  docker::image_info info;
  info.id = id;
  return info;
}

} // namespace

TEST_CASE("image check: a present image is ready, a missing one is pulled unless the policy "
          "forbids it") {
  auto present = inspected(local_image("sha256:aaa"));
  auto absent = inspected(std::nullopt);
  CHECK(next_image_step(present, config(auto_pull_policy::tag)) == image_step::ready);
  CHECK(next_image_step(present, config(auto_pull_policy::none)) == image_step::ready);
  CHECK(next_image_step(absent, config(auto_pull_policy::tag)) == image_step::pull);
  CHECK(next_image_step(absent, config(auto_pull_policy::digest)) == image_step::pull);
  CHECK(next_image_step(absent, config(auto_pull_policy::none)) == image_step::missing);
  // A local image is never pulled: missing is missing.
  CHECK(next_image_step(absent, config(auto_pull_policy::tag, true)) == image_step::missing);
  CHECK(next_image_step(present, config(auto_pull_policy::tag, true)) == image_step::ready);
}

TEST_CASE("image check: the digest policy pulls when the local image has another digest") {
  auto present = inspected(local_image("sha256:aaa"));
  CHECK(next_image_step(present, config(auto_pull_policy::digest, false, "sha256:aaa")) ==
        image_step::ready);
  CHECK(next_image_step(present, config(auto_pull_policy::digest, false, "sha256:bbb")) ==
        image_step::pull);
  // The tag policy does not look at digests.
  CHECK(next_image_step(present, config(auto_pull_policy::tag, false, "sha256:bbb")) ==
        image_step::ready);
  // Without an expected digest there is nothing to compare.
  CHECK(next_image_step(present, config(auto_pull_policy::digest)) == image_step::ready);
}

TEST_CASE("image check: an inspect failure fails every kernel of the image, whatever its "
          "policy") {
  auto check = inspected(std::nullopt);
  check.inspect_error = make_error(errc::runtime_error, "engine answered 500");
  CHECK(next_image_step(check, config(auto_pull_policy::tag)) == image_step::fail);
  CHECK(next_image_step(check, config(auto_pull_policy::none)) == image_step::fail);
  CHECK(next_image_step(check, config(auto_pull_policy::tag, true)) == image_step::fail);
}

TEST_CASE("image check: after a kernel of the call pulled the image, the others go on "
          "without pulling, a failed or running pull is joined") {
  auto check = inspected(std::nullopt);
  auto image = config(auto_pull_policy::digest, false, "sha256:bbb");
  check.pull = image_check::pull_phase::running;
  CHECK(next_image_step(check, image) == image_step::pull);
  check.pull = image_check::pull_phase::failed;
  check.pull_error = make_error(errc::not_found, "manifest unknown");
  CHECK(next_image_step(check, image) == image_step::pull);
  check.pull = image_check::pull_phase::done;
  check.pull_error = caf::error{};
  CHECK(next_image_step(check, image) == image_step::ready);
}
