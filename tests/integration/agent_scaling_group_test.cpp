// update_scaling_group: the agent edits its TOML file (backup first) and its running config.

#include <doctest/doctest.h>

#include "support/agent_fixture.hpp"
#include "support/file_helpers.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE("update_scaling_group rewrites agent.scaling-group and keeps a backup") {
  char tmpl[] = "/tmp/baikal-agent-config.XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto path = dir + "/agent.toml";
  const std::string original = "# agent config\n[agent]\nid = \"a1\"\n"
                               "scaling-group = \"default\" # where it schedules\n\n"
                               "[container]\nscratch-root = \"/tmp/x\"\n";
  write_host_file(path, original);
  {
    agent_fixture f;
    caf::anon_send_exit(f.agent, caf::exit_reason::user_shutdown);
    f.settings.config_path = path;
    f.agent = spawn_agent(*f.sys, f.settings, f.docker, f.sink);
    auto res = f.ask<ack>(op::update_scaling_group{"gpu-large"});
    REQUIRE_MESSAGE(res, why(res));
  }
  CHECK(read_host_file(path + ".bak") == original);
  auto updated = read_host_file(path);
  CHECK(updated.find("scaling-group = \"gpu-large\" # where it schedules") != std::string::npos);
  CHECK(updated.find("# agent config") != std::string::npos);
  CHECK(updated.find("scratch-root = \"/tmp/x\"") != std::string::npos);
  std::filesystem::remove_all(dir);
}
