// baikalctl run against a real manager and agent: the code's output is printed, its exit code
// becomes baikalctl's, --json gives one parsable result, and the session is deleted after; with
// an agent's warm pool, the session runs in a container started ahead.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "actors/agent/kernel_recovery.hpp"
#include "actors/agent/warm_pool.hpp"
#include "integration/ctl_process.hpp"
#include "runtime/docker/containers.hpp"
#include "support/api_cluster_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl run: prints the output, exits with the code's exit code, --json "
                  "parses, and the session is gone afterwards") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto env = ctl_env(alice.port, alice.token);

  auto three = run_ctl({"run", image, "--", "echo hi; exit 3"}, env);
  CHECK_MESSAGE(three.exit_code == 3, describe(three));
  CHECK(three.out == "hi\n");
  // Not a terminal: status lines, no escape codes.
  CHECK(three.err.find('\033') == std::string::npos);
  CHECK_MESSAGE(three.err.find(": RUNNING") != std::string::npos, three.err);

  auto json = run_ctl({"run", "--json", image, "--", "echo out; echo err >&2"}, env);
  CHECK_MESSAGE(json.exit_code == 0, describe(json));
  rapidjson::Document doc;
  REQUIRE_MESSAGE(parses_as_json(json.out, doc), json.out);
  CHECK(doc["exit_code"].GetInt() == 0);
  CHECK(std::string{doc["status"].GetString()} == "finished");
  CHECK(std::string{doc["stdout"].GetString()} == "out\n");
  CHECK(std::string{doc["stderr"].GetString()} == "err\n");
  CHECK(json.err.empty());
  std::string run_session = doc["session"].GetString();

  // Both sessions were deleted: none is left alive.
  auto ls = run_ctl({"session", "ls", "--json"}, env);
  REQUIRE_MESSAGE(parses_as_json(ls.out, doc), ls.out);
  REQUIRE(doc["sessions"].Size() == 2);
  for (auto& s : doc["sessions"].GetArray()) {
    std::string status = s["status"].GetString();
    CHECK_MESSAGE((status == "TERMINATING" || status == "TERMINATED"), status);
  }
  CHECK(wait_status(alice, run_session, "TERMINATED") == "TERMINATED");

  // No code: usage, non-zero, no session made.
  auto no_code = run_ctl({"run", image}, env);
  CHECK(no_code.exit_code != 0);
  CHECK(no_code.err.find("usage: baikalctl run") != std::string::npos);
}

namespace {

/// The running warm containers of agent `agent` on the harness's engine.
std::set<std::string> warm_containers(api_cluster_fixture& f, const agent_id& agent) {
  std::set<std::string> out;
  caf::scoped_actor self{*f.sys};
  caf::expected<docker_reply> listed{caf::error{}};
  self->request(f.agents.at(0).docker, std::chrono::seconds(30), list_agent_containers(agent))
      .receive([&](docker_reply& r) { listed = std::move(r); },
               [&](caf::error& e) { listed = std::move(e); });
  if (listed)
    for (auto& c : parse_kernel_containers(listed->body))
      if (is_warm_label(c.kernel) && c.state == "running")
        out.insert(c.id);
  return out;
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl run: with a warm pool the session runs in the container started "
                  "ahead, with its session's environment, and the pool refills") {
  auto agent = add_agent({{image, 1}});
  REQUIRE(agent_alive(agent));
  std::set<std::string> before;
  REQUIRE(eventually([&] { return !(before = warm_containers(*this, agent)).empty(); }));
  auto env = ctl_env(alice.port, alice.token);
  auto run = run_ctl({"run", "--json", image, "--", "echo $BACKENDAI_SESSION_ID"}, env);
  CHECK_MESSAGE(run.exit_code == 0, describe(run));
  rapidjson::Document doc;
  REQUIRE_MESSAGE(parses_as_json(run.out, doc), run.out);
  std::string session = doc["session"].GetString();
  CHECK(std::string{doc["stdout"].GetString()} == session + "\n");
  CHECK(wait_status(alice, session, "TERMINATED") == "TERMINATED");
  // The warm container was the session's: it went with it, and another took its place.
  std::set<std::string> after;
  CHECK(eventually([&] {
    after = warm_containers(*this, agent);
    return !after.empty() && !after.count(*before.begin());
  }));
}
