// The blocking steps of kernel creation (actors/agent/creation_steps.hpp), on a temporary
// directory: what the scratch directories hold, and a runner that never answers.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "actors/agent/creation_steps.hpp"
#include "messages/errors.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in{path};
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

struct temp_root {
  std::string path;
  temp_root() {
    char tmpl[] = "/tmp/baikal-creation-steps.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_root() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

kernel_user own_user() {
  kernel_user user;
  user.uid = ::getuid();
  user.gid = ::getgid();
  return user;
}

} // namespace

TEST_CASE("creation steps: the scratch directories hold the service table and the cluster keys") {
  temp_root root;
  auto dirs = scratch_dirs_of(root.path, "k-1");
  cluster_info cluster;
  cluster.ssh.private_key = "PRIVATE";
  cluster.ssh.public_key = "PUBLIC";
  auto done = prepare_scratch(dirs, R"([{"name":"httpd"}])", cluster, own_user());
  REQUIRE_MESSAGE(done, why(done));
  CHECK(std::filesystem::is_directory(dirs.work));
  CHECK(read_text(dirs.config + "/services.json") == R"([{"name":"httpd"}])");
  CHECK(read_text(dirs.config + "/ssh/id_cluster") == "PRIVATE");
  CHECK(read_text(dirs.config + "/ssh/id_cluster.pub") == "PUBLIC");
  // Written twice (a restart reuses the directory): the same content, no error.
  CHECK(prepare_scratch(dirs, "[]", cluster_info{}, own_user()));
  CHECK(read_text(dirs.config + "/services.json") == "[]");
}

TEST_CASE("creation steps: a scratch root that cannot hold directories is an error") {
  temp_root root;
  std::ofstream{root.path + "/file"} << "x";
  auto dirs = scratch_dirs_of(root.path + "/file", "k-1");
  auto done = prepare_scratch(dirs, "[]", cluster_info{}, own_user());
  REQUIRE(!done);
  CHECK(message_of(done.error()).find("cannot create scratch directories") != std::string::npos);
}

TEST_CASE("creation steps: a runner that never answers ends in a timeout naming the cause") {
  temp_root root;
  auto waited = wait_for_runner(root.path + "/runner.sock", 0.05);
  REQUIRE(!waited);
  CHECK(code_of(waited.error()) == errc::timeout);
  CHECK(message_of(waited.error()).find("did not answer within") != std::string::npos);
}
