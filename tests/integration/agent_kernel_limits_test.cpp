// The limits around kernel creation and restart: the kernel-creation-concurrency semaphore and
// the restart's destroy timeout (RESTART_TIMEOUT).

#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// The most kernels between their Preparing and Started events at any point of the event order.
size_t max_in_flight(const std::vector<std::string>& lines) {
  size_t now = 0, most = 0;
  for (auto& line : lines) {
    if (line.rfind("KernelPreparingEvent ", 0) == 0)
      most = std::max(most, ++now);
    else if (line.rfind("KernelStartedEvent ", 0) == 0 && now > 0)
      --now;
  }
  return most;
}

caf::expected<created_kernels> create_three(agent_fixture& f, const std::string& tag) {
  auto session = "session-" + tag + "-" + unique_suffix();
  op::create_kernels req{session, {}, {}, cluster_info{}, {}};
  for (int i = 1; i <= 3; ++i) {
    auto id = "k-" + tag + "-" + std::to_string(i) + "-" + unique_suffix();
    req.kernel_ids.push_back(id);
    req.configs.push_back(f.test_kernel_config(id, session));
  }
  return f.ask<created_kernels>(req);
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture,
                  "kernel-creation-concurrency 1 creates the kernels of a call one by one") {
  settings.kernel_creation_concurrency = 1;
  respawn_agent();
  auto created = create_three(*this, "one-by-one");
  REQUIRE_MESSAGE(created, why(created));
  REQUIRE(created->kernels.size() == 3);
  REQUIRE(eventually([&] { return events->matching("KernelStartedEvent").size() == 3; }));
  CHECK(max_in_flight(events->snapshot()) == 1);
  for (auto& k : created->kernels)
    CHECK(destroy(k.id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "kernel-creation-concurrency 2 never has three kernels in creation") {
  settings.kernel_creation_concurrency = 2;
  respawn_agent();
  auto created = create_three(*this, "two-at-once");
  REQUIRE_MESSAGE(created, why(created));
  REQUIRE(created->kernels.size() == 3);
  REQUIRE(eventually([&] { return events->matching("KernelStartedEvent").size() == 3; }));
  auto most = max_in_flight(events->snapshot());
  CHECK(most >= 1);
  CHECK(most <= 2);
  for (auto& k : created->kernels)
    CHECK(destroy(k.id));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "restart_kernel past the destroy timeout reports RESTART_TIMEOUT") {
  // No container stops within a millisecond: the restart's destroy always overruns this.
  settings.restart_destroy_timeout = 0.001;
  respawn_agent();
  auto id = "k-restart-timeout-" + unique_suffix();
  auto first = create_test_kernel(id);
  REQUIRE_MESSAGE(first, why(first));
  auto cfg = test_kernel_config(id, "session-" + id);
  auto res = ask<kernel_info>(op::restart_kernel{id, "session-" + id, image_ref{}, cfg});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::timeout);
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " restart-timeout").size() == 1;
  }));
  // The destroy itself goes on: the old container goes away and no new one is made.
  CHECK(eventually([&] { return !engine(docker::container_inspect(first->container_id)); }));
  CHECK(eventually([&] { return !engine(docker::container_inspect("kernel." + id)); }));
}

TEST_CASE_FIXTURE(agent_fixture, "code cut off by destroy_kernel reports ExecutionCancelledEvent") {
  auto id = "k-cancel-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  caf::expected<execution_result> cut{caf::error{}};
  std::thread running{[&] { cut = run(id, "echo begun; sleep 60", 90.0); }};
  REQUIRE(eventually([&] { return events->matching("ExecutionStartedEvent").size() == 1; }));
  REQUIRE(destroy(id));
  running.join();
  CHECK(!cut);
  CHECK(eventually([&] { return events->matching("ExecutionCancelledEvent").size() == 1; }));
  CHECK(events->matching("ExecutionFinishedEvent").empty());
}
