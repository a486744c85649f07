// baikalctl session create draws the image pull's progress in bytes, from the manager's event
// stream, while the agent pulls an image from the local registry.

#include <doctest/doctest.h>

#include <cstdio>
#include <regex>

#include "integration/ctl_process.hpp"
#include "support/api_cluster_fixture.hpp"
#include "support/test_env.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// Pushes to the open test registry an image with one 256 MiB layer of random bytes, absent
/// from the engine after. Big enough that the pull lasts seconds: a 64 MiB layer came from the
/// local registry in 0.7 s, before baikalctl's event stream had shown any bytes of it.
std::string push_big_image(const std::string& base) {
  auto tag = std::to_string(::getpid());
  auto ref = env_value("BAIKAL_TEST_REGISTRY") + "/baikal-test/ctl-pull:" + tag;
  auto container = "ctl-pull-" + tag;
  REQUIRE(engine_cli("run --name " + container + " " + base +
                     " dd if=/dev/urandom of=/blob bs=1M count=256") == 0);
  REQUIRE(engine_cli("commit --change 'CMD [\"sh\"]' " + container + " " + ref) == 0);
  engine_cli("rm " + container);
  REQUIRE(engine_cli("push " + ref) == 0);
  REQUIRE(engine_cli("rmi " + ref) == 0);
  return ref;
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl session create: shows the image pull's progress with byte counts "
                  "on a non-terminal stderr") {
  auto ref = push_big_image(image);
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto env = ctl_env(alice.port, alice.token);

  auto created = run_ctl({"session", "create", ref, "--name", "ctl-pull"}, env);
  REQUIRE_MESSAGE(created.exit_code == 0, describe(created));
  auto id = created.out.substr(0, created.out.find('\n'));
  CHECK(!id.empty());
  MESSAGE("stderr of session create:\n" << created.err);

  // Lines about this pull: "pull REF on AGENT: " and what it is doing.
  auto prefix = "pull " + ref + " on " + agent + ": ";
  std::vector<std::string> pull_lines;
  std::istringstream lines{created.err};
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(prefix, 0) == 0)
      pull_lines.push_back(line.substr(prefix.size()));
  // While it runs: "Downloading [####....] 12.0 MiB / 256.0 MiB 4% 40.1 MiB/s".
  std::regex progress{R"(^\w+ \[[#.]+\] [0-9.]+ (B|KiB|MiB) / 25[0-9]\.[0-9] MiB \d+%)"};
  int progress_lines = 0;
  for (auto& line : pull_lines)
    progress_lines += std::regex_search(line, progress) ? 1 : 0;
  CHECK_MESSAGE(progress_lines >= 1, created.err);
  // At the end, the bytes it moved: the one 256 MiB layer (compressed, so about that).
  REQUIRE(!pull_lines.empty());
  CHECK_MESSAGE(std::regex_match(pull_lines.back(), std::regex{R"(pulled 25[0-9]\.[0-9] MiB)"}),
                created.err);
  CHECK(created.err.find(": PULLING") != std::string::npos);
  CHECK(created.err.find('\033') == std::string::npos);

  // The session goes on to run the pulled image.
  CHECK(wait_status(alice, id, "RUNNING") == "RUNNING");
  auto rm = run_ctl({"session", "rm", id}, env);
  CHECK_MESSAGE(rm.exit_code == 0, describe(rm));
  CHECK(wait_status(alice, id, "TERMINATED") == "TERMINATED");
  engine_cli("rmi " + ref);
}
