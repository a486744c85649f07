// create_kernels, execute, destroy_kernel and the kernel's services, against the harness's
// private Docker engine with the busybox test image and the real kernel runner.

#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include <caf/send.hpp>

#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

bool container_exists(agent_fixture& f, const std::string& id) {
  return static_cast<bool>(f.engine(docker::container_inspect(id)));
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "create_kernels starts a kernel that runs code, then destroy") {
  auto id = "k-basic-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  CHECK(info->id == id);
  CHECK(!info->container_id.empty());
  CHECK(container_exists(*this, info->container_id));
  REQUIRE(eventually([&] { return events->matching("Kernel").size() == 3; }));
  auto started = events->matching("Kernel");
  CHECK(started[0].rfind("KernelPreparingEvent " + id, 0) == 0);
  CHECK(started[1].rfind("KernelCreatingEvent " + id, 0) == 0);
  CHECK(started[2].rfind("KernelStartedEvent " + id, 0) == 0);

  auto res = run(id, "echo hi; echo $BACKENDAI_KERNEL_ID");
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->status == "finished");
  CHECK(stdout_of(*res) == "hi\n" + id + "\n");
  CHECK(res->exit_code == 3 - 3);
  CHECK(res->files.empty());
  CHECK(eventually([&] { return events->matching("ExecutionStartedEvent").size() == 1; }));
  CHECK(eventually([&] { return events->matching("ExecutionFinishedEvent").size() == 1; }));

  auto failing = run(id, "echo oops >&2; exit 7");
  REQUIRE(failing);
  CHECK(failing->exit_code == 7);
  REQUIRE(!failing->console.empty());
  CHECK(failing->console[0].stream == "stderr");

  auto again = create_test_kernel(id);
  REQUIRE(again);
  CHECK(again->container_id == info->container_id);

  REQUIRE(destroy(id));
  CHECK(!container_exists(*this, info->container_id));
  CHECK(!std::filesystem::exists(settings.scratch_root + "/" + id));
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " user-requested").size() == 1;
  }));
  CHECK(eventually([&] {
    auto probe = ask<probe_result>(op::check_running{id});
    return probe && !probe->active;
  }));
}

TEST_CASE_FIXTURE(agent_fixture, "create_kernels of a missing image fails and cleans up") {
  auto id = "k-missing-" + unique_suffix();
  auto cfg = test_kernel_config(id, "s-missing");
  cfg.image.canonical = "baikal-test/no-such-image:0";
  cfg.image.is_local = false;
  cfg.image.auto_pull = auto_pull_policy::tag;
  auto res = ask<created_kernels>(op::create_kernels{"s-missing", {id}, {cfg}, cluster_info{}, {}});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::agent_error);
  CHECK(message_of(res.error()).find("failed-to-create") != std::string::npos);
  CHECK(eventually([&] { return events->matching("KernelPullingEvent " + id).size() == 1; }));
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " failed-to-create").size() == 1;
  }));
  // The clean-up runs off the agent's thread, after the answer.
  CHECK(eventually([&] { return !std::filesystem::exists(settings.scratch_root + "/" + id); }));
}

TEST_CASE_FIXTURE(agent_fixture, "create_kernels of several kernels reports every failure") {
  auto good = "k-good-" + unique_suffix();
  auto bad1 = "k-bad1-" + unique_suffix();
  auto bad2 = "k-bad2-" + unique_suffix();
  auto broken = [&](const std::string& id) {
    auto cfg = test_kernel_config(id, "s-multi");
    cfg.image.canonical = "baikal-test/no-such-image:0";
    cfg.image.auto_pull = auto_pull_policy::none;
    cfg.image.is_local = false;
    return cfg;
  };
  auto res = ask<created_kernels>(
      op::create_kernels{"s-multi",
                         {good, bad1, bad2},
                         {test_kernel_config(good, "s-multi"), broken(bad1), broken(bad2)},
                         cluster_info{},
                         {}});
  REQUIRE(!res);
  auto text = message_of(res.error());
  CHECK(text.find("2 of 3 kernels failed") != std::string::npos);
  CHECK(text.find(bad1) != std::string::npos);
  CHECK(text.find(bad2) != std::string::npos);
  (void)ask<ack>(op::destroy_kernel{good, "s-multi", lifecycle_reason::user_requested, true});
}

TEST_CASE_FIXTURE(agent_fixture,
                  "destroy_kernel while another removal of the container runs answers once the "
                  "container is gone") {
  auto id = "k-racing-rm-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  // A removal from elsewhere (an operator's docker rm -f) starts first; the kernel's own removal
  // then meets "removal already in progress" from the engine, or a container already gone.
  caf::anon_send(docker, docker::container_remove(info->container_id, true, true));
  auto destroyed = destroy(id);
  // not_found when the agent saw the container die first and dropped the kernel itself.
  if (!destroyed)
    CHECK_MESSAGE(code_of(destroyed.error()) == errc::not_found, why(destroyed));
  CHECK(!container_exists(*this, info->container_id));
  CHECK(!std::filesystem::exists(settings.scratch_root + "/" + id));
}

TEST_CASE_FIXTURE(agent_fixture, "execute with an exec timeout destroys the kernel") {
  auto id = "k-timeout-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto res = ask<execution_result>(op::execute{"session-" + id,
                                               id,
                                               4,
                                               "",
                                               execution_mode::query,
                                               "sleep 30",
                                               {{"exec_timeout", "0.5"}},
                                               5.0});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->status == "exec-timeout");
  CHECK(eventually([&] { return events->matching("ExecutionTimeoutEvent").size() == 1; }));
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " exec-timeout").size() == 1;
  }));
}

TEST_CASE_FIXTURE(agent_fixture, "shutdown_service/scenario-1 shut down a running service") {
  auto id = "k-svc1-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto started = ask<service_result>(op::start_service{id, "httpd", {}});
  REQUIRE_MESSAGE(started, why(started));
  CHECK(started->status == "started");
  auto up = run(id, "pidof httpd >/dev/null && echo up || echo down");
  REQUIRE(up);
  CHECK(stdout_of(*up) == "up\n");
  REQUIRE(ask<ack>(op::shutdown_service{id, "httpd"}));
  CHECK(eventually([&] {
    auto down = run(id, "pidof httpd >/dev/null && echo up || echo down");
    return down && stdout_of(*down) == "down\n";
  }));
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "shutdown_service/scenario-2 a service that is not running only logs") {
  auto id = "k-svc2-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto res = ask<ack>(op::shutdown_service{id, "ghost_service_B"});
  CHECK(res);
  auto alive = run(id, "echo alive");
  REQUIRE(alive);
  CHECK(stdout_of(*alive) == "alive\n");
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "shutdown_service/scenario-4 an already stopped service stays stopped") {
  auto id = "k-svc4-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  REQUIRE(ask<service_result>(op::start_service{id, "httpd", {}}));
  REQUIRE(ask<ack>(op::shutdown_service{id, "httpd"}));
  CHECK(eventually([&] {
    auto down = run(id, "pidof httpd >/dev/null && echo up || echo down");
    return down && stdout_of(*down) == "down\n";
  }));
  auto again = ask<ack>(op::shutdown_service{id, "httpd"});
  CHECK(again);
  auto still = run(id, "pidof httpd >/dev/null && echo up || echo down");
  REQUIRE(still);
  CHECK(stdout_of(*still) == "down\n");
  REQUIRE(destroy(id));
}
