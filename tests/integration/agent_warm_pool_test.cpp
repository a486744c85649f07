// The agent's warm pools on the harness's engine: a kernel that fits takes a container started
// ahead (with its session's environment and limits), one that does not is created anew, a
// container goes to one kernel only, a pool refills, and a restarted agent tells the two kinds
// of warm containers apart.

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "actors/agent/kernel_recovery.hpp"
#include "actors/agent/warm_pool.hpp"
#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// The running warm containers of the fixture's agent still in its pool or handed over.
std::vector<labelled_container> warm_containers(agent_fixture& f) {
  std::vector<labelled_container> out;
  auto listed = f.engine(list_agent_containers(f.settings.id));
  if (!listed)
    return out;
  for (auto& c : parse_kernel_containers(listed->body))
    if (is_warm_label(c.kernel) && c.state == "running")
      out.push_back(c);
  return out;
}

/// Waits until the pool holds a ready container that is not in `known`; its id. Running is not
/// ready: the agent hands a container over once its runner answered, and says so.
std::string next_warm(agent_fixture& f, const std::set<std::string>& known = {}) {
  std::string found;
  eventually(
      [&] {
        for (auto& c : warm_containers(f))
          if (!known.count(c.id) &&
              f.agent_log.count(spdlog::level::info,
                                "is ready in container " + c.id.substr(0, 12))) {
            found = c.id;
            return true;
          }
        return false;
      },
      std::chrono::seconds(60));
  return found;
}

void use_pool(agent_fixture& f, uint32_t size) {
  f.settings.warm_pools = {{env_value("BAIKAL_TEST_IMAGE"), size}};
  f.respawn_agent();
}

/// A field of the container's HostConfig, from the engine.
int64_t host_config(agent_fixture& f, const std::string& container, const char* field) {
  auto inspected = f.engine(docker::container_inspect(container));
  if (!inspected)
    return -1;
  rapidjson::Document doc;
  doc.Parse(inspected->body.c_str());
  if (doc.HasParseError() || !doc.HasMember("HostConfig") || !doc["HostConfig"].HasMember(field))
    return -1;
  return doc["HostConfig"][field].GetInt64();
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture,
                  "warm pool: a kernel of the pool's image takes the warm "
                  "container with its environment and limits, and the pool refills") {
  use_pool(*this, 1);
  auto warm = next_warm(*this);
  REQUIRE_FALSE(warm.empty());
  CHECK(host_config(*this, warm, "Memory") == 0); // started with the default configuration

  auto id = "k-warm-" + unique_suffix();
  auto made = create_test_kernel(id);
  REQUIRE_MESSAGE(made, why(made));
  CHECK(made->container_id == warm);
  CHECK(eventually([&] { return events->matching("KernelStartedEvent " + id).size() == 1; }));

  auto res = run(id, "echo $BACKENDAI_KERNEL_ID $BACKENDAI_SESSION_ID; id -u; pwd");
  REQUIRE_MESSAGE(res, why(res));
  CHECK(stdout_of(*res) == id + " session-" + id + "\n1000\n/home/work\n");
  CHECK(host_config(*this, warm, "Memory") == 128 * 1024 * 1024);
  CHECK(host_config(*this, warm, "NanoCpus") == 1000000000);
  CHECK(std::filesystem::exists(settings.scratch_root + "/" + id + "/work"));

  // Another container takes its place in the pool.
  auto refill = next_warm(*this, {warm});
  CHECK_FALSE(refill.empty());
  CHECK(refill != warm);
  // Made with the limits the last kernel asked for: the next such kernel needs no update.
  CHECK(host_config(*this, refill, "Memory") == 128 * 1024 * 1024);

  REQUIRE(destroy(id));
  CHECK(eventually([&] { return !engine(docker::container_inspect(warm)); }));
  CHECK_FALSE(std::filesystem::exists(settings.scratch_root + "/" + id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "warm pool: a kernel that does not fit is created anew and the warm container "
                  "stays in the pool") {
  use_pool(*this, 1);
  auto warm = next_warm(*this);
  REQUIRE_FALSE(warm.empty());
  auto id = "k-cold-" + unique_suffix();
  auto session = "session-" + id;
  auto cfg = test_kernel_config(id, session);
  cfg.uid = 2000; // another user than the warm containers' runners
  cfg.main_gid = 2000;
  auto made = ask<created_kernels>(op::create_kernels{session, {id}, {cfg}, cluster_info{}, {}});
  REQUIRE_MESSAGE(made, why(made));
  CHECK(made->kernels.at(0).container_id != warm);
  auto res = run(id, "id -u");
  REQUIRE_MESSAGE(res, why(res));
  CHECK(stdout_of(*res) == "2000\n");
  auto still = warm_containers(*this);
  REQUIRE(still.size() == 1);
  CHECK(still[0].id == warm);
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "warm pool: two kernels at once and one warm container: one kernel takes it") {
  use_pool(*this, 1);
  auto warm = next_warm(*this);
  REQUIRE_FALSE(warm.empty());
  auto session = "session-two-" + unique_suffix();
  op::create_kernels req{session, {}, {}, cluster_info{}, {}};
  for (int i = 1; i <= 2; ++i) {
    auto id = "k-two-" + std::to_string(i) + "-" + unique_suffix();
    req.kernel_ids.push_back(id);
    req.configs.push_back(test_kernel_config(id, session));
  }
  auto made = ask<created_kernels>(req);
  REQUIRE_MESSAGE(made, why(made));
  REQUIRE(made->kernels.size() == 2);
  auto a = made->kernels[0].container_id;
  auto b = made->kernels[1].container_id;
  CHECK(a != b);
  CHECK(((a == warm) + (b == warm)) == 1);
  for (auto& k : made->kernels) {
    auto res = ask<execution_result>(op::execute{
        session, k.id, 4, "", execution_mode::query, "echo $BACKENDAI_KERNEL_ID", {}, 5.0});
    REQUIRE_MESSAGE(res, why(res));
    CHECK(stdout_of(*res) == k.id + "\n");
    CHECK(ask<ack>(op::destroy_kernel{k.id, session, lifecycle_reason::user_requested, false}));
  }
}

TEST_CASE_FIXTURE(agent_fixture,
                  "warm pool: a warm container that stops in its pool is removed and replaced") {
  use_pool(*this, 1);
  auto warm = next_warm(*this);
  REQUIRE_FALSE(warm.empty());
  REQUIRE(engine(docker::container_kill(warm, "SIGKILL")));
  CHECK(eventually([&] { return !engine(docker::container_inspect(warm)); },
                   std::chrono::seconds(30)));
  auto replaced = next_warm(*this, {warm});
  CHECK_FALSE(replaced.empty());
  // No kernel ever ran in it: the agent reported nothing.
  CHECK(events->matching("KernelTerminatedEvent").empty());
}

TEST_CASE("warm pool: a restarted agent serves the kernel in a handed-over warm container and "
          "removes the one still in its pool") {
  agent_settings crashed;
  kernel_info handed;
  std::string pooled;
  {
    agent_fixture before;
    before.keep_scratch = true;
    use_pool(before, 1);
    auto first = next_warm(before);
    REQUIRE_FALSE(first.empty());
    auto made = before.create_test_kernel("k-handed-" + unique_suffix());
    REQUIRE_MESSAGE(made, why(made));
    REQUIRE(made->container_id == first);
    handed = *made;
    pooled = next_warm(before, {first});
    REQUIRE_FALSE(pooled.empty());
    crashed = before.settings;
    // The fixture ends like a kill -9: no destroy, containers and scratch stay.
  }
  agent_fixture after;
  caf::anon_send_exit(after.agent, caf::exit_reason::user_shutdown);
  std::error_code ec;
  std::filesystem::remove_all(after.settings.scratch_root, ec);
  after.settings = crashed;
  after.settings.warm_pools.clear();
  auto recovered = recover_kernels(*after.sys, after.settings, after.docker);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].id == handed.id);
  CHECK(recovered[0].container_id == handed.container_id);
  CHECK_FALSE(after.engine(docker::container_inspect(pooled)));
  after.agent = spawn_agent(*after.sys, after.settings, after.docker, after.sink, recovered);
  auto res = after.run(handed.id, "echo $BACKENDAI_KERNEL_ID");
  REQUIRE_MESSAGE(res, why(res));
  CHECK(agent_fixture::stdout_of(*res) == handed.id + "\n");
  REQUIRE(after.destroy(handed.id));
  CHECK(!after.engine(docker::container_inspect(handed.container_id)));
}
