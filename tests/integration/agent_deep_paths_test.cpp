// An agent installed deep in a file system (a checkout in a home directory, a folder named by a
// commit id): its scratch root and the engine's socket path are longer than a Unix socket
// address holds, and a kernel still starts, runs code and goes away.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "support/agent_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(agent_fixture, "agent: with a scratch root and a Docker socket path longer "
                                 "than sun_path, a kernel starts, runs code and is destroyed") {
  namespace fs = std::filesystem;
  struct remove_on_exit {
    fs::path root;
    ~remove_on_exit() {
      std::error_code ec;
      fs::remove_all(root, ec);
    }
  } fixture_root{settings.scratch_root};
  auto deep = fs::path{settings.scratch_root} / "home/someone/src/github.com/team" /
              "0123456789abcdef0123456789abcdef01234567/baikal/var/dev-cluster/agent-1";
  fs::create_directories(deep / "scratch");
  // The engine's socket reached through a link at a long path, as DOCKER_HOST could name it.
  auto engine_socket = (deep / "docker.sock").string();
  fs::create_symlink(env_value("BAIKAL_TEST_DOCKER_SOCK"), engine_socket);
  REQUIRE(engine_socket.size() > 108);
  caf::anon_send_exit(docker, caf::exit_reason::user_shutdown);
  docker::engine_options opts;
  opts.socket_path = engine_socket;
  docker = spawn_docker_actor(*sys, opts);
  settings.scratch_root = (deep / "scratch").string();
  respawn_agent();

  std::string id;
  std::ifstream{"/proc/sys/kernel/random/uuid"} >> id;
  REQUIRE(id.size() == 36);
  auto runner_socket = settings.scratch_root + "/" + id + "/config/runner.sock";
  REQUIRE(runner_socket.size() > 108);
  auto kernel = create_test_kernel(id);
  REQUIRE_MESSAGE(kernel, (kernel ? "" : message_of(kernel.error())));
  CHECK(fs::is_socket(runner_socket));
  auto res = run(id, "echo from-deep-scratch; pwd");
  REQUIRE_MESSAGE(res, (res ? "" : message_of(res.error())));
  CHECK(stdout_of(*res) == "from-deep-scratch\n/home/work\n");
  CHECK(destroy(id));
}
