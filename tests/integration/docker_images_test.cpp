// Images through the Docker actor, against the harness's engine and registries.

#include "integration/docker_fixture.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/system.hpp"
#include "support/registry_tag.hpp"
#include "support/text_search.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::docker;
using namespace baikal::test;

TEST_CASE_FIXTURE(docker_fixture, "docker: version and ping answer through the actor") {
  auto v = parse_version(ok(version()).body);
  REQUIRE(v);
  CHECK(v->api_version >= "1.41");
  CHECK(ok(ping()).body == "OK");
}

TEST_CASE("docker: an unreachable socket is unavailable and names the socket") {
  caf::actor_system_config cfg;
  caf::actor_system sys{docker_test_config(cfg)};
  auto docker = spawn_docker_actor(sys, {"/tmp/baikal-no-such-docker.sock"});
  caf::scoped_actor self{sys};
  self->request(docker, std::chrono::seconds{10}, version())
      .receive([](docker_reply&) { FAIL("a missing socket answered"); },
               [](caf::error& e) {
                 CHECK(code_of(e) == errc::unavailable);
                 CHECK(contains(message_of(e), "/tmp/baikal-no-such-docker.sock"));
               });
  caf::anon_send_exit(docker, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: image inspect finds the test image") {
  auto info = parse_image_info(ok(image_inspect(image)).body);
  REQUIRE(info);
  CHECK(contains(info->id, "sha256:"));
  CHECK(std::find(info->repo_tags.begin(), info->repo_tags.end(), image) != info->repo_tags.end());
}

TEST_CASE_FIXTURE(docker_fixture, "docker: missing image inspect is not_found with Docker's text") {
  auto r = call(image_inspect("ghost:v0"));
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == errc::not_found);
  // Docker's text for this route is "no such image: ghost:v0: No such image: ghost:v0".
  CHECK(contains(message_of(r.error()), "No such image: ghost:v0"));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: pull from the local registry streams progress") {
  // A tag of its own, missing from the engine, so the pull has work to do.
  auto pushed = push_own_registry_tag([&](docker_call c) { return call(std::move(c)); },
                                      unique_name("stream"));
  REQUIRE_MESSAGE(pushed, why(pushed));
  auto ref = *pushed;
  std::vector<std::string> lines;
  auto r = stream(image_pull(ref, std::nullopt), lines);
  REQUIRE_MESSAGE(r, why(r));
  CHECK(lines.size() >= 2);
  CHECK(contains(r->body, "Status:"));
  CHECK(call(image_inspect(ref)));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: pull of a missing tag fails with Docker's text") {
  auto ref = env_value("BAIKAL_TEST_REGISTRY") + "/baikal-test/busybox:" + unique_name("no");
  std::vector<std::string> lines;
  auto r = stream(image_pull(ref, std::nullopt), lines);
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == errc::not_found);
  CHECK(contains(message_of(r.error()), "manifest unknown"));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: push to the open registry reports a digest") {
  auto registry = env_value("BAIKAL_TEST_REGISTRY");
  auto ref = registry + "/baikal-test/" + unique_name("push") + ":1";
  ok(image_tag(image, ref));
  std::vector<std::string> lines;
  auto r = stream(image_push(ref, {"", "", registry}), lines);
  REQUIRE_MESSAGE(r, why(r));
  CHECK(contains(r->body, "Digest"));
  CHECK(!lines.empty());
  ok(image_delete(ref, false, false));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: push to the auth registry needs the right password") {
  auto registry = env_value("BAIKAL_TEST_AUTH_REGISTRY");
  auto ref = registry + "/baikal-test/" + unique_name("push") + ":1";
  ok(image_tag(image, ref));
  std::vector<std::string> lines;
  auto good = stream(image_push(ref, {env_value("BAIKAL_TEST_AUTH_USER"),
                                      env_value("BAIKAL_TEST_AUTH_PASSWORD"), registry}),
                     lines);
  CHECK_MESSAGE(good, (good ? "" : why(good)));
  auto bad =
      stream(image_push(ref, {env_value("BAIKAL_TEST_AUTH_USER"), "wrong", registry}), lines);
  REQUIRE_FALSE(bad);
  CHECK(contains(message_of(bad.error()), "unauthorized"));
  ok(image_delete(ref, false, false));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: image delete untags and answers Docker's 404 text") {
  auto ref = unique_name("baikal-test/del") + ":1";
  ok(image_tag(image, ref));
  auto gone = parse_image_delete(ok(image_delete(ref, false, false)).body);
  REQUIRE(gone);
  CHECK(std::find(gone->begin(), gone->end(), "Untagged: " + ref) != gone->end());
  auto missing = call(image_delete(ref, false, false));
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::not_found);
  CHECK(message_of(missing.error()) == "No such image: " + ref);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: deleting an image in use conflicts unless forced") {
  // An imported image has a single tag: Docker only refuses to drop an image's last reference.
  auto ref = unique_name("baikal-test/used") + ":1";
  auto imported = ok(image_import(single_file_tar("hello.txt", "x"), ref, {"CMD [\"sh\"]"}));
  CHECK(contains(imported.body, "sha256:"));
  container_spec spec;
  spec.name = unique_name("baikal-del-user");
  spec.image = ref;
  auto cid = parse_id(ok(container_create(spec)).body);
  REQUIRE(cid);
  auto in_use = call(image_delete(ref, false, false));
  REQUIRE_FALSE(in_use);
  CHECK(code_of(in_use.error()) == errc::conflict);
  CHECK(contains(message_of(in_use.error()),
                 "conflict: unable to remove repository reference \"" + ref + "\" (must force)"));
  auto forced = parse_image_delete(ok(image_delete(ref, true, false)).body);
  REQUIRE(forced);
  CHECK(std::find(forced->begin(), forced->end(), "Untagged: " + ref) != forced->end());
  ok(container_remove(*cid, true, true));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: image export streams a tar with a manifest") {
  std::vector<std::string> chunks;
  auto r = stream(image_export(image), chunks, docker_stream_mode::raw);
  REQUIRE_MESSAGE(r, why(r));
  std::string tar;
  for (auto& c : chunks)
    tar += c;
  CHECK(tar.size() > 100000);
  CHECK(tar_entry(tar, "manifest.json"));
  // Straight to a gzip file on the engine's thread, as a commit's export does.
  auto path = "/tmp/" + unique_name("baikal-export") + ".tar.gz";
  auto to_file = image_export(image);
  to_file.output_file = path;
  to_file.gzip_output = true;
  CHECK(ok(to_file).body.empty());
  std::ifstream in{path, std::ios::binary};
  std::string gz{std::istreambuf_iterator<char>{in}, {}};
  REQUIRE(gz.size() > 1000);
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f); // gzip magic
  CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
  CHECK(gz.size() < tar.size());
  std::remove(path.c_str());
  auto missing = call(image_export("ghost:v0"));
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::not_found);
}
