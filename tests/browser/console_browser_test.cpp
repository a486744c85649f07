// The web console in a real browser against a cluster of real processes: this starts a manager
// and two agents as the cluster tests do (process_cluster), then runs console.test.mjs, which
// drives Debian's chromium with puppeteer-core and saves screenshots under
// BAIKAL_BROWSER_SCREENSHOTS.

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cluster/process_cluster.hpp"

using namespace baikal::test;

namespace {

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

} // namespace

TEST_CASE("browser: sign in, create a session and see it RUNNING, run code, upload, use the "
          "terminal, terminate it, and a wrong token is refused") {
  std::filesystem::path folder = BAIKAL_BROWSER_TEST_DIR;
  REQUIRE_MESSAGE(std::filesystem::exists(folder / "node_modules" / "puppeteer-core"),
                  "tests/browser has no node_modules: run \"npm ci\" there "
                  "(scripts/test-all.sh does)");
  REQUIRE_MESSAGE(std::filesystem::exists(BAIKAL_BROWSER_PATH),
                  "no browser at " BAIKAL_BROWSER_PATH ": apt-get install chromium "
                  "(scripts/install-deps.sh does)");
  process_cluster cluster;
  auto url = "http://" + cluster.alice.host + ":" + std::to_string(cluster.alice.port);
  auto command = std::string{BAIKAL_NODE_PATH} + " " + shell_quoted((folder / "console.test.mjs").string()) +
                 " --url " + shell_quoted(url) + " --token " + shell_quoted(cluster.alice.token) +
                 " --image " + shell_quoted(cluster.image) + " --shots " +
                 shell_quoted(BAIKAL_BROWSER_SCREENSHOTS) + " --browser " + shell_quoted(BAIKAL_BROWSER_PATH);
  MESSAGE("running " << command);
  int status = std::system(command.c_str());
  REQUIRE(status != -1);
  CHECK_MESSAGE(WIFEXITED(status), "the browser test was killed");
  CHECK_MESSAGE(WEXITSTATUS(status) == 0, "the browser test failed (its output is above)");
}
