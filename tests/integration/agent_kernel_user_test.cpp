// The kernel's code runs as the user its creation config names (not as root), owns its work
// directory, and can change what the agent uploads for it.

#include <doctest/doctest.h>

#include "support/agent_fixture.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(agent_fixture, "kernel code runs as the creation config's uid and gids") {
  auto id = "k-user-" + unique_suffix();
  auto session = "session-" + id;
  auto cfg = test_kernel_config(id, session);
  cfg.uid = 1234;
  cfg.main_gid = 2345;
  cfg.supplementary_gids = {3456};
  auto created = ask<created_kernels>(op::create_kernels{session, {id}, {cfg}, cluster_info{}, {}});
  REQUIRE_MESSAGE(created, why(created));

  auto who = run(id, "id -u; id -g; id -G; stat -c '%u:%g' /home/work");
  REQUIRE_MESSAGE(who, why(who));
  CHECK(stdout_of(*who) == "1234\n2345\n2345 3456\n1234:2345\n");

  // Root's files stay out of reach: the runner gave up root before running anything.
  auto root_only = run(id, "touch /root-owned 2>/dev/null && echo wrote || echo refused");
  REQUIRE(root_only);
  CHECK(stdout_of(*root_only) == "refused\n");

  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "uploaded files and their new parents belong to the kernel's user") {
  auto id = "k-upload-owner-" + unique_suffix();
  REQUIRE(create_test_kernel(id)); // uid and main gid 1000, the config's defaults
  REQUIRE(ask<ack>(op::accept_file{id, "/home/work/data/in/notes.txt", "first\n"}));

  auto changed = run(id, "echo second >> /home/work/data/in/notes.txt && "
                         "touch /home/work/data/in/more && "
                         "stat -c '%u:%g' /home/work/data /home/work/data/in/notes.txt && "
                         "cat /home/work/data/in/notes.txt");
  REQUIRE_MESSAGE(changed, why(changed));
  CHECK(changed->exit_code == 0);
  CHECK(stdout_of(*changed) == "1000:1000\n1000:1000\nfirst\nsecond\n");
  REQUIRE(destroy(id));
}
