// Recovery: an agent started after a crash serves the kernels whose containers still run and
// removes those that stopped; nothing is lost or leaked.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/agent/kernel_recovery.hpp"
#include "actors/agent/registry_file.hpp"
#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

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
  std::error_code ec;
  std::filesystem::remove_all(after.settings.scratch_root, ec);
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
  REQUIRE_MESSAGE(res, why(res));
  CHECK(agent_fixture::stdout_of(*res) == "still here\n");

  CHECK(!after.engine(docker::container_inspect(stopped.container_id)));
  CHECK(!std::filesystem::exists(crashed.scratch_root + "/" + stopped.id));
  REQUIRE(after.destroy(alive.id));
  CHECK(!after.engine(docker::container_inspect(alive.container_id)));
}

TEST_CASE("recovery: the registry file is checked against the containers that carry the labels") {
  agent_settings crashed;
  kernel_info alive;
  kernel_info gone;
  auto registry_lists = [](const agent_settings& s, const std::vector<std::string>& ids) {
    std::ifstream in{registry_file_path(s)};
    std::stringstream text;
    text << in.rdbuf();
    auto kernels = decode_registry_file(text.str());
    if (!kernels || kernels->size() != ids.size())
      return false;
    for (auto& id : ids)
      if (!kernels->count(id))
        return false;
    return true;
  };
  {
    agent_fixture before;
    before.keep_scratch = true;
    auto a = before.create_test_kernel("k-file-alive-" + unique_suffix());
    auto b = before.create_test_kernel("k-file-gone-" + unique_suffix());
    REQUIRE(a);
    REQUIRE(b);
    alive = *a;
    gone = *b;
    // The agent keeps the file current as kernels come and go, not only at shutdown.
    REQUIRE(eventually([&] { return registry_lists(before.settings, {alive.id, gone.id}); }));
    // While the agent is down, someone removes a kernel's container behind its back. Down
    // first: an agent still running sees the container go and cleans up after it.
    caf::anon_send_exit(before.agent, caf::exit_reason::user_shutdown);
    (*before.self)->wait_for(before.agent);
    REQUIRE(before.engine(docker::container_remove(gone.container_id, true, true)));
    crashed = before.settings;
  }
  REQUIRE(std::filesystem::exists(crashed.scratch_root + "/" + gone.id));
  agent_fixture after;
  caf::anon_send_exit(after.agent, caf::exit_reason::user_shutdown);
  // The agent that just started may still be writing its first registry file into its own var
  // folder on a worker thread: the fixture removes that folder at its end, not under the write.
  std::error_code ec;
  std::filesystem::remove_all(after.settings.scratch_root, ec);
  after.settings = crashed;
  auto recovered = recover_kernels(*after.sys, after.settings, after.docker);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].id == alive.id);
  CHECK(recovered[0].session == alive.session);
  // Slots are not in the labels: these came from the file.
  CHECK(recovered[0].slots == alive.slots);
  CHECK(!std::filesystem::exists(crashed.scratch_root + "/" + gone.id));

  after.agent = spawn_agent(*after.sys, after.settings, after.docker, after.sink, recovered);
  CHECK(eventually([&] { return registry_lists(crashed, {alive.id}); }));
  auto res = after.run(alive.id, "echo served again");
  REQUIRE(res);
  CHECK(agent_fixture::stdout_of(*res) == "served again\n");
  REQUIRE(after.destroy(alive.id));
  CHECK(eventually([&] { return registry_lists(crashed, {}); }));
}
