// purge_images scenarios of the agent spec, against the harness's private Docker engine.

#include <doctest/doctest.h>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "support/agent_fixture.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// Makes `name` an image of its own in the engine: a commit of a container of the test image,
/// so deleting it does not merely untag an image that other names keep alive.
void make_image(agent_fixture& f, const std::string& name) {
  (void)f.engine(docker::image_delete(name, true, false));
  docker::container_spec spec;
  spec.image = env_value("BAIKAL_TEST_IMAGE");
  spec.cmd = {"sh"};
  auto created = f.engine(docker::container_create(spec));
  REQUIRE(created);
  auto container = docker::parse_id(created->body);
  REQUIRE(container);
  docker::commit_spec commit;
  commit.container = *container;
  commit.ref = name;
  commit.labels = {{"purpose", name}};
  auto committed = f.engine(docker::container_commit(commit));
  REQUIRE_MESSAGE(committed, why(committed));
  REQUIRE(f.engine(docker::container_remove(*container, true, true)));
}

bool image_exists(agent_fixture& f, const std::string& name) {
  return static_cast<bool>(f.engine(docker::image_inspect(name)));
}

std::string run_container_from(agent_fixture& f, const std::string& image) {
  docker::container_spec spec;
  spec.image = image;
  spec.cmd = {"sleep", "3600"};
  spec.init = true;
  auto created = f.engine(docker::container_create(spec));
  REQUIRE(created);
  auto id = docker::parse_id(created->body);
  REQUIRE(id);
  REQUIRE(f.engine(docker::container_start(*id)));
  return *id;
}

bool container_running(agent_fixture& f, const std::string& id) {
  auto reply = f.engine(docker::container_inspect(id));
  if (!reply)
    return false;
  auto info = docker::parse_container_info(reply->body);
  return info && info->running;
}

caf::expected<purge_images_resp> purge(agent_fixture& f, std::vector<std::string> images,
                                       bool force = false) {
  return f.ask<purge_images_resp>(op::purge_images{{std::move(images), force, false}});
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "purge_images/scenario-1 purge a single existing image") {
  make_image(*this, "image-to-delete:v1");
  auto res = purge(*this, {"image-to-delete:v1"});
  REQUIRE(res);
  REQUIRE(res->responses.size() == 1);
  CHECK(res->responses[0].image == "image-to-delete:v1");
  CHECK(!res->responses[0].error);
  CHECK(!image_exists(*this, "image-to-delete:v1"));
}

TEST_CASE_FIXTURE(agent_fixture, "purge_images/scenario-2 purge multiple existing images") {
  make_image(*this, "image-a:latest");
  make_image(*this, "image-b:1.0");
  auto res = purge(*this, {"image-a:latest", "image-b:1.0"});
  REQUIRE(res);
  REQUIRE(res->responses.size() == 2);
  CHECK(res->responses[0].image == "image-a:latest");
  CHECK(res->responses[1].image == "image-b:1.0");
  CHECK(!res->responses[0].error);
  CHECK(!res->responses[1].error);
  CHECK(!image_exists(*this, "image-a:latest"));
  CHECK(!image_exists(*this, "image-b:1.0"));
}

TEST_CASE_FIXTURE(agent_fixture, "purge_images/scenario-3 purge a non-existent image") {
  (void)engine(docker::image_delete("ghost-image:v0", true, false));
  auto res = purge(*this, {"ghost-image:v0"});
  REQUIRE(res);
  REQUIRE(res->responses.size() == 1);
  CHECK(res->responses[0].image == "ghost-image:v0");
  REQUIRE(res->responses[0].error);
  CHECK(res->responses[0].error->find("No such image") != std::string::npos);
  CHECK(!image_exists(*this, "ghost-image:v0"));
}

TEST_CASE_FIXTURE(agent_fixture, "purge_images/scenario-4 an image in use without force") {
  make_image(*this, "busy-image:stable");
  auto container = run_container_from(*this, "busy-image:stable");
  auto res = purge(*this, {"busy-image:stable"});
  REQUIRE(res);
  REQUIRE(res->responses.size() == 1);
  CHECK(res->responses[0].image == "busy-image:stable");
  REQUIRE(res->responses[0].error);
  CHECK(res->responses[0].error->find("conflict: unable to") != std::string::npos);
  CHECK(image_exists(*this, "busy-image:stable"));
  CHECK(container_running(*this, container));
  REQUIRE(engine(docker::container_remove(container, true, true)));
  (void)engine(docker::image_delete("busy-image:stable", true, false));
}

TEST_CASE_FIXTURE(agent_fixture, "purge_images/scenario-5 an image in use with force") {
  make_image(*this, "busy-image:force-delete");
  auto container = run_container_from(*this, "busy-image:force-delete");
  auto res = purge(*this, {"busy-image:force-delete"}, true);
  REQUIRE(res);
  REQUIRE(res->responses.size() == 1);
  CHECK(res->responses[0].image == "busy-image:force-delete");
  CHECK(!res->responses[0].error);
  CHECK(!image_exists(*this, "busy-image:force-delete"));
  CHECK(container_running(*this, container));
  REQUIRE(engine(docker::container_remove(container, true, true)));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "purge_images/scenario-6 a mix of existing, non-existent and in-use images") {
  make_image(*this, "delete-me:ok");
  make_image(*this, "dont-delete-me:busy");
  (void)engine(docker::image_delete("iamghost:hmm", true, false));
  auto container = run_container_from(*this, "dont-delete-me:busy");
  auto res = purge(*this, {"delete-me:ok", "iamghost:hmm", "dont-delete-me:busy"});
  REQUIRE(res);
  REQUIRE(res->responses.size() == 3);
  CHECK(res->responses[0].image == "delete-me:ok");
  CHECK(!res->responses[0].error);
  CHECK(res->responses[1].image == "iamghost:hmm");
  CHECK(res->responses[1].error);
  CHECK(res->responses[2].image == "dont-delete-me:busy");
  CHECK(res->responses[2].error);
  CHECK(!image_exists(*this, "delete-me:ok"));
  CHECK(image_exists(*this, "dont-delete-me:busy"));
  REQUIRE(engine(docker::container_remove(container, true, true)));
  (void)engine(docker::image_delete("dont-delete-me:busy", true, false));
}

TEST_CASE_FIXTURE(agent_fixture, "purge_images/scenario-7 an empty list is refused") {
  auto res = purge(*this, {});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::invalid_argument);
}
