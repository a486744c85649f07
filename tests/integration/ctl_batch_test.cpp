// baikalctl run --batch against a real manager and agent: the manager runs the command as the
// session's startup command; baikalctl prints its output and exits with its exit code, and the
// session stays TERMINATED with its result.

#include <doctest/doctest.h>

#include "integration/ctl_process.hpp"
#include "support/api_cluster_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl run --batch: prints the command's output and exits with its exit "
                  "code, and a batch-timeout exits 1 with the reason") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto env = ctl_env(alice.port, alice.token);

  auto three = run_ctl({"run", "--batch", image, "--", "echo batch-out; exit 3"}, env);
  CHECK_MESSAGE(three.exit_code == 3, describe(three));
  CHECK(three.out == "batch-out\n");

  auto slow = run_ctl({"run", "--batch", image, "--batch-timeout", "1", "--", "sleep 30"}, env);
  CHECK_MESSAGE(slow.exit_code == 1, describe(slow));
  CHECK_MESSAGE(slow.err.find("batch-timeout") != std::string::npos, slow.err);
}
