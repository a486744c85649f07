// Recovery: an agent started after a crash serves the kernels whose containers still run and
// removes those that stopped; nothing is lost or leaked.

#include <doctest/doctest.h>

#include <filesystem>

#include "actors/agent/kernel_recovery.hpp"
#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE("recovery: a restarted agent serves its running kernels and removes stopped ones") {
  agent_settings crashed;
  kernel_info alive;
  kernel_info stopped;
  {
    agent_fixture before;
    before.keep_scratch = true;
    auto a = before.create_test_kernel("k-alive-" + unique_suffix());
    auto b = before.create_test_kernel("k-stopped-" + unique_suffix());
    REQUIRE(a);
    REQUIRE(b);
    alive = *a;
    stopped = *b;
    REQUIRE(before.engine(docker::container_kill(stopped.container_id, "SIGKILL")));
    crashed = before.settings;
    // The fixture ends like a kill -9: no destroy, containers and scratch stay.
  }
  agent_fixture after;
  caf::anon_send_exit(after.agent, caf::exit_reason::user_shutdown);
  std::filesystem::remove_all(after.settings.scratch_root);
  after.settings = crashed;
  auto recovered = recover_kernels(*after.sys, after.settings, after.docker);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].id == alive.id);
  CHECK(recovered[0].container_id == alive.container_id);
  after.agent = spawn_agent(*after.sys, after.settings, after.docker, after.sink, recovered);

  auto probe = after.ask<probe_result>(op::check_running{alive.id});
  REQUIRE(probe);
  CHECK(probe->active);
  auto res = after.run(alive.id, "echo still here");
  REQUIRE_MESSAGE(res, message_of(res.error()));
  CHECK(agent_fixture::stdout_of(*res) == "still here\n");

  CHECK(!after.engine(docker::container_inspect(stopped.container_id)));
  CHECK(!std::filesystem::exists(crashed.scratch_root + "/" + stopped.id));
  REQUIRE(after.destroy(alive.id));
  CHECK(!after.engine(docker::container_inspect(alive.container_id)));
}
