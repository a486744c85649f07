// A kernel's code is confined in its container: a fork bomb stops at the kernel's pids limit
// (and the agent and the other kernels keep answering), the open-files limit is the agent's
// setting, and nothing gives the code root: no new privileges (a setuid-root binary of the
// image runs as the kernel's user), no capability left, Docker's default seccomp profile on.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/kernel_probes.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(agent_fixture,
                  "isolation: a fork bomb in one kernel stays under its pids limit, and the "
                  "agent and another kernel keep answering") {
  settings.kernel_pids_limit = 200;
  respawn_agent();
  auto bomb = "k-fork-bomb-" + unique_suffix();
  auto calm = "k-calm-" + unique_suffix();
  auto bombed = create_test_kernel(bomb);
  REQUIRE_MESSAGE(bombed, why(bombed));
  REQUIRE(create_test_kernel(calm));
  auto inspected = engine(docker::container_inspect(bombed->container_id));
  REQUIRE_MESSAGE(inspected, why(inspected));
  auto pid = container_pid(inspected->body);
  REQUIRE(pid > 0);

  // The sleeps let go of the run's pipes, so the run ends with its shell. The bomb's own shell
  // gives up at the first fork the limit refuses; the run's shell goes on (echo is built in).
  auto res = run(bomb,
                 "sh -c 'for i in $(seq 3000); do sleep 120 >/dev/null 2>&1 & done' 2>/dev/null; "
                 "echo forked",
                 30);
  REQUIRE_MESSAGE(res, why(res));
  CHECK(stdout_of(*res) == "forked\n");
  // The bomb filled its kernel up to the limit, and no further.
  auto processes = pids_in_cgroup_of(pid);
  CHECK(processes > 150);
  CHECK(processes <= 200);

  auto answer = run(calm, "echo still here");
  REQUIRE_MESSAGE(answer, why(answer));
  CHECK(stdout_of(*answer) == "still here\n");
  auto pong = ask<std::string>(op::ping{"after the bomb"});
  REQUIRE_MESSAGE(pong, why(pong));
  CHECK(*pong == "after the bomb");

  CHECK(destroy(bomb));
  CHECK(destroy(calm));
}

TEST_CASE_FIXTURE(agent_fixture, "isolation: a kernel's open-files limit is the agent's setting") {
  settings.kernel_open_files = 4321;
  respawn_agent();
  auto id = "k-nofile-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto res = run(id, "ulimit -n; ulimit -Hn");
  REQUIRE_MESSAGE(res, why(res));
  CHECK(stdout_of(*res) == "4321\n4321\n");
  CHECK(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "isolation: a setuid-root binary in a kernel's image does not give its code "
                  "root") {
  auto id = "k-setuid-" + unique_suffix();
  REQUIRE(create_test_kernel(id)); // uid 1000
  auto res = run(id, "ls -ln /bin/setuid-euid | cut -c1-10; /bin/setuid-euid");
  REQUIRE_MESSAGE(res, why(res));
  // The binary is setuid root, and runs with the kernel's uid all the same.
  CHECK(stdout_of(*res) == "-rwsr-xr-x\n1000\n");
  CHECK(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "isolation: a kernel's code and its runner hold no capability, cannot gain "
                  "privileges and run under the engine's default seccomp profile") {
  auto id = "k-no-caps-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  // The code, then the runner (PID 1) after it became the kernel's user: no capability in any
  // set; the bounding set is what the runner needed to change users (SETGID, SETUID: 0xc0).
  for (auto who : {"self", "1"}) {
    auto res = run(id, std::string{"grep -E '^(Cap...|NoNewPrivs|Seccomp):' /proc/"} + who +
                           "/status | tr -s '\\t ' ' '");
    REQUIRE_MESSAGE(res, why(res));
    CHECK_MESSAGE(stdout_of(*res) == "CapInh: 0000000000000000\nCapPrm: 0000000000000000\n"
                                     "CapEff: 0000000000000000\nCapBnd: 00000000000000c0\n"
                                     "CapAmb: 0000000000000000\nNoNewPrivs: 1\nSeccomp: 2\n",
                  std::string{who});
  }
  auto inspected = engine(docker::container_inspect(info->container_id));
  REQUIRE_MESSAGE(inspected, why(inspected));
  rapidjson::Document doc;
  doc.Parse(inspected->body.c_str());
  REQUIRE(doc.IsObject());
  auto& host = doc["HostConfig"];
  CHECK_FALSE(host["Privileged"].GetBool());
  // No seccomp option: the engine applies its default profile (Seccomp: 2 above).
  std::vector<std::string> options;
  for (auto& opt : host["SecurityOpt"].GetArray())
    options.emplace_back(opt.GetString());
  CHECK(options == std::vector<std::string>{"no-new-privileges"});
  CHECK(destroy(id));
}
