// restart_kernel, trigger_batch_execution, interrupt_kernel, get_completions, get_logs,
// sync_kernel_registry and shutdown on real kernels of the harness's engine.

#include <doctest/doctest.h>

#include <filesystem>
#include <future>
#include <thread>

#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/file_helpers.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(agent_fixture, "restart_kernel replaces the container and keeps the kernel") {
  auto id = "k-restart-" + unique_suffix();
  auto first = create_test_kernel(id);
  REQUIRE(first);
  auto cfg = test_kernel_config(id, "session-" + id);
  auto res = ask<kernel_info>(op::restart_kernel{id, "session-" + id, image_ref{}, cfg});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->id == id);
  CHECK(res->container_id != first->container_id);
  CHECK(!engine(docker::container_inspect(first->container_id)));
  CHECK(eventually(
      [&] { return events->matching("KernelTerminatedEvent " + id + " restarting").size() == 1; }));
  auto hi = run(id, "echo again");
  REQUIRE(hi);
  CHECK(stdout_of(*hi) == "again\n");
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "trigger_batch_execution runs in the background") {
  auto id = "k-batch-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto res = ask<ack>(
      op::trigger_batch_execution{"session-" + id, id, "echo done > /home/work/batch.out", 0});
  REQUIRE(res);
  auto out = settings.scratch_root + "/" + id + "/work/batch.out";
  CHECK(eventually([&] { return read_host_file(out) == "done\n"; }));
  CHECK(eventually([&] { return !events->matching("ExecutionFinishedEvent").empty(); }));
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "interrupt_kernel stops running code, completions and logs") {
  auto id = "k-interrupt-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto started = ask<execution_result>(
      op::execute{"session-" + id, id, 4, "", execution_mode::query, "sleep 30", {}, 0.2});
  REQUIRE(started);
  CHECK(started->status == "continued");
  REQUIRE(ask<ack>(op::interrupt_kernel{id}));
  auto rest = ask<execution_result>(
      op::execute{"session-" + id, id, 4, started->run_id, execution_mode::continue_, "", {}, 5.0});
  REQUIRE_MESSAGE(rest, why(rest));
  CHECK(rest->status == "finished");
  CHECK(rest->exit_code == 130);

  REQUIRE(ask<ack>(op::accept_file{id, "/home/work/echo_me.txt", "x"}));
  auto comp = ask<completion_result>(op::get_completions{id, "cat ec", {}});
  REQUIRE(comp);
  CHECK(std::find(comp->candidates.begin(), comp->candidates.end(), "echo_me.txt") !=
        comp->candidates.end());

  auto logs = ask<kernel_logs>(op::get_logs{id});
  CHECK(logs);
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "sync_kernel_registry reconciles with the manager's list") {
  auto mine = "k-sync-" + unique_suffix();
  auto info = create_test_kernel(mine);
  REQUIRE(info);
  REQUIRE(ask<ack>(op::sync_kernel_registry{{{"ghost-kernel", "ghost-session"}}}));
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent ghost-kernel already-terminated").size() == 1;
  }));
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + mine + " not-found-in-manager").size() == 1;
  }));
  CHECK(eventually([&] { return !engine(docker::container_inspect(info->container_id)); }));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "shutdown with SIGTERM persists the registry and destroys kernels") {
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  settings.var_base_path = settings.scratch_root + "/var";
  agent = spawn_agent(*sys, settings, docker, sink);
  auto id = "k-shutdown-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE(info);
  REQUIRE(ask<ack>(op::shutdown{15}));
  auto registry = read_host_file(settings.var_base_path + "/last_registry." + settings.id + ".dat");
  CHECK(registry.find("\"kernel\":\"" + id + "\"") != std::string::npos);
  CHECK(registry.find(info->container_id) != std::string::npos);
  CHECK(!engine(docker::container_inspect(info->container_id)));
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " agent-termination").size() == 1;
  }));
  CHECK(eventually([&] { return events->matching("AgentTerminatedEvent shutdown").size() == 1; }));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "shutdown with SIGTERM while a kernel is being destroyed answers only once its "
                  "container is gone") {
  // The manager's destroy runs when the agent is told to stop: the shutdown waits for it
  // instead of taking "being destroyed" for "destroyed" and leaving the container behind.
  auto id = "k-shutdown-during-destroy-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  auto first = std::async(std::launch::async, [&] { return destroy(id); });
  std::this_thread::sleep_for(std::chrono::milliseconds(5)); // the destroy reaches the kernel
  auto stopped = ask<ack>(op::shutdown{15});
  REQUIRE_MESSAGE(stopped, why(stopped));
  CHECK_FALSE(engine(docker::container_inspect(info->container_id)));
  CHECK(first.get());
}

TEST_CASE_FIXTURE(agent_fixture,
                  "a second destroy_kernel while one runs is answered when the container is gone") {
  auto id = "k-destroy-twice-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  auto first = std::async(std::launch::async, [&] { return destroy(id); });
  std::this_thread::sleep_for(std::chrono::milliseconds(5)); // the first reaches the kernel
  auto second = destroy(id);
  // The second waited for the first: when it answers, the container is gone.
  CHECK_MESSAGE(second, why(second));
  CHECK_FALSE(engine(docker::container_inspect(info->container_id)));
  auto a = first.get();
  CHECK_MESSAGE(a, why(a));
  CHECK(eventually([&] { return events->matching("KernelTerminatedEvent " + id).size() == 1; }));
}
