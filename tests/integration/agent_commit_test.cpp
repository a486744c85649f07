// commit and get_commit_status scenarios of the agent spec, on a real kernel of the harness's
// engine: images committed, exported as gzip, removed after export, commits serialised.

#include <doctest/doctest.h>

#include <filesystem>
#include <future>

#include "runtime/docker/encoding.hpp"
#include "runtime/docker/images.hpp"
#include "support/agent_fixture.hpp"
#include "support/file_helpers.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

struct commit_fixture : agent_fixture {
  kernel_id id = "k-commit-" + unique_suffix();
  std::string base;

  commit_fixture() {
    base = settings.scratch_root + "-commits";
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    settings.base_commit_path = base;
    agent = spawn_agent(*sys, settings, docker, sink);
    auto info = create_test_kernel(id);
    REQUIRE_MESSAGE(info, why(info));
  }

  ~commit_fixture() {
    (void)destroy(id);
    std::error_code ec;
    std::filesystem::remove_all(base, ec);
  }

  caf::expected<docker::image_info> image(const std::string& name) {
    auto reply = engine(docker::image_inspect(name));
    if (!reply)
      return reply.error();
    return docker::parse_image_info(reply->body);
  }

  void forget_image(const std::string& name) {
    (void)engine(docker::image_delete(name, true, false));
  }

  static bool is_gzip(const std::string& path) {
    auto data = read_host_file(path);
    return data.size() > 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
  }
};

} // namespace

TEST_CASE_FIXTURE(commit_fixture, "commit/scenario-1 basic commit without export") {
  forget_image("myimage:latest");
  auto res = ask<ack>(op::commit{id,
                                 "test_commit_no_export",
                                 std::string{"myimage"},
                                 caf::none,
                                 {{"author", "test_user"}, {"version", "1.0"}}});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(std::filesystem::is_directory(base + "/test_commit_no_export"));
  CHECK(std::filesystem::is_directory(base + "/test_commit_no_export/lock"));
  CHECK(!std::filesystem::exists(base + "/test_commit_no_export/lock/" + id));
  auto img = image("myimage:latest");
  REQUIRE_MESSAGE(img, why(img));
  CHECK(img->labels["author"] == "test_user");
  CHECK(img->labels["version"] == "1.0");
  size_t files = 0;
  for (auto& entry : std::filesystem::directory_iterator(base + "/test_commit_no_export"))
    files += entry.is_regular_file() ? 1 : 0;
  CHECK(files == 0);
  forget_image("myimage:latest");
}

TEST_CASE_FIXTURE(commit_fixture, "commit/scenario-2 commit with export") {
  forget_image("myimage:exported_commit");
  auto res = ask<ack>(op::commit{id,
                                 "test_commit_with_export",
                                 std::string{"myimage:exported_commit"},
                                 std::string{"exported_image"},
                                 {{"status", "exported"}}});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(std::filesystem::is_directory(base + "/test_commit_with_export/lock"));
  CHECK(!std::filesystem::exists(base + "/test_commit_with_export/lock/" + id));
  auto exported = base + "/test_commit_with_export/exported_image";
  REQUIRE(std::filesystem::exists(exported));
  CHECK(is_gzip(exported));
  CHECK(std::filesystem::file_size(exported) > 1000);
  CHECK(!image("myimage:exported_commit"));
}

TEST_CASE_FIXTURE(commit_fixture, "commit/scenario-3 commit with no canonical name") {
  auto res = ask<ack>(op::commit{id, "test_commit_no_canonical", caf::none, caf::none, {}});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(std::filesystem::is_directory(base + "/test_commit_no_canonical/lock"));
  CHECK(!std::filesystem::exists(base + "/test_commit_no_canonical/lock/" + id));
  // The new image is untagged and carries the kernel's labels (Docker merges them in).
  docker_call list;
  list.target = "/images/json?filters=" +
                docker::url_encode("{\"label\":[\"ai.backend.kernel-id=" + id + "\"]}");
  auto listed = engine(list);
  REQUIRE(listed);
  CHECK(listed->body.find("sha256:") != std::string::npos);
  CHECK(listed->body.find("<none>:<none>") != std::string::npos);
}

TEST_CASE_FIXTURE(commit_fixture, "commit/scenario-5 concurrent commits on one kernel and subdir") {
  forget_image("img1:tag1");
  forget_image("img2:tag2");
  auto first = std::async(std::launch::async, [&] {
    return ask<ack>(
        op::commit{id, "subdir_X", std::string{"img1:tag1"}, std::string{"f1.tar.gz"}, {}});
  });
  auto second = std::async(std::launch::async, [&] {
    return ask<ack>(
        op::commit{id, "subdir_X", std::string{"img2:tag2"}, std::string{"f2.tar.gz"}, {}});
  });
  auto r1 = first.get();
  auto r2 = second.get();
  REQUIRE_MESSAGE(r1, why(r1));
  REQUIRE_MESSAGE(r2, why(r2));
  CHECK(is_gzip(base + "/subdir_X/f1.tar.gz"));
  CHECK(is_gzip(base + "/subdir_X/f2.tar.gz"));
  CHECK(!image("img1:tag1"));
  CHECK(!image("img2:tag2"));
  CHECK(!std::filesystem::exists(base + "/subdir_X/lock/" + id));
}

TEST_CASE_FIXTURE(commit_fixture, "get_commit_status follows the lock file") {
  auto ready = ask<commit_state>(op::get_commit_status{id, "status_subdir"});
  REQUIRE(ready);
  CHECK(ready->status == commit_status::ready);
  write_host_file(base + "/status_subdir/lock/" + id, "");
  auto ongoing = ask<commit_state>(op::get_commit_status{id, "status_subdir"});
  REQUIRE(ongoing);
  CHECK(ongoing->status == commit_status::ongoing);
}
