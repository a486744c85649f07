// What arrives at the agent over the network is checked before it reaches a kernel: a
// malformed execute (the exec_timeout that once killed the kernel actor, and its agent with
// it) answers invalid_argument and both serve on; executions beyond container.max-concurrent-
// runs answer unavailable; a commit naming an invalid reference never reaches the engine.

#include <doctest/doctest.h>

#include <future>

#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

op::execute query(const kernel_id& id, std::string code, std::map<std::string, std::string> opts,
                  double flush_timeout = 30) {
  return op::execute{"session-" + id, id,           4, "", execution_mode::query, std::move(code),
                     std::move(opts), flush_timeout};
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "agent: an execute whose exec_timeout is not a number answers "
                                 "invalid_argument, and the agent and its kernel serve on") {
  auto id = "k-bad-timeout-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  for (auto bad : {"abc", "-1", "1e400", "nan", ""}) {
    auto res = ask<execution_result>(query(id, "echo x", {{"exec_timeout", bad}}));
    REQUIRE(!res);
    CHECK(code_of(res.error()) == errc::invalid_argument);
    CHECK(message_of(res.error()).find("opts.exec_timeout must be a number of seconds") == 0);
  }
  auto unknown = ask<execution_result>(query(id, "echo x", {{"color", "blue"}}));
  REQUIRE(!unknown);
  CHECK(message_of(unknown.error()).find("opts.color is not an execution option") == 0);
  // Both actors are alive: the agent answers a ping, the kernel runs code.
  auto pong = ask<std::string>(op::ping{"still there?"});
  REQUIRE_MESSAGE(pong, why(pong));
  CHECK(*pong == "still there?");
  auto ran = run(id, "echo ok");
  REQUIRE_MESSAGE(ran, why(ran));
  CHECK(stdout_of(*ran) == "ok\n");
  auto with_timeout = ask<execution_result>(query(id, "echo t", {{"exec_timeout", "30"}}));
  REQUIRE_MESSAGE(with_timeout, why(with_timeout));
  CHECK(stdout_of(*with_timeout) == "t\n");
  CHECK(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "agent: executions beyond container.max-concurrent-runs answer "
                                 "unavailable, and up to it they run") {
  settings.max_concurrent_runs = 2;
  respawn_agent();
  auto id = "k-concurrent-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto started = [&] { return events->matching("ExecutionStartedEvent").size(); };
  auto before = started();
  // Two long runs are under way (each has been counted once its started event is out).
  auto first = std::async(std::launch::async, [&] {
    return ask<execution_result>(query(id, "sleep 3; echo one", {}));
  });
  REQUIRE(eventually([&] { return started() == before + 1; }));
  auto second = std::async(std::launch::async, [&] {
    return ask<execution_result>(query(id, "sleep 3; echo two", {}));
  });
  REQUIRE(eventually([&] { return started() == before + 2; }));
  auto third = ask<execution_result>(query(id, "echo three", {}));
  REQUIRE(!third);
  CHECK(code_of(third.error()) == errc::unavailable);
  CHECK(message_of(third.error()).find("container.max-concurrent-runs") != std::string::npos);
  auto one = first.get();
  auto two = second.get();
  REQUIRE_MESSAGE(one, why(one));
  REQUIRE_MESSAGE(two, why(two));
  CHECK(stdout_of(*one) == "one\n");
  CHECK(stdout_of(*two) == "two\n");
  // Their places are free again.
  auto again = run(id, "echo again");
  REQUIRE_MESSAGE(again, why(again));
  CHECK(stdout_of(*again) == "again\n");
  CHECK(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "agent: a commit naming an invalid reference or a subdir with a "
                                 "path in it answers invalid_argument") {
  auto id = "k-bad-commit-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto bad_ref = ask<ack>(op::commit{id, "alice", std::string{"bad name!!"}, caf::none, {}});
  REQUIRE(!bad_ref);
  CHECK(code_of(bad_ref.error()) == errc::invalid_argument);
  CHECK(message_of(bad_ref.error()).find("canonical must be an image reference") == 0);
  auto bad_subdir = ask<ack>(op::commit{id, "../..", caf::none, caf::none, {}});
  REQUIRE(!bad_subdir);
  CHECK(code_of(bad_subdir.error()) == errc::invalid_argument);
  auto status = ask<commit_state>(op::get_commit_status{id, "../x"});
  REQUIRE(!status);
  CHECK(code_of(status.error()) == errc::invalid_argument);
  CHECK(ask<std::string>(op::ping{"alive"}));
  CHECK(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "agent: create_kernels with an environ key holding '=' or a "
                                 "kernel id with a path answers invalid_argument") {
  auto id = "k-bad-env-" + unique_suffix();
  auto session = "session-" + id;
  auto cfg = test_kernel_config(id, session);
  cfg.environ["A=B"] = "1";
  auto res = ask<created_kernels>(op::create_kernels{session, {id}, {cfg}, cluster_info{}, {}});
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::invalid_argument);
  CHECK(message_of(res.error()).find("configs[0].environ") != std::string::npos);
  auto path_id = ask<created_kernels>(op::create_kernels{
      session, {"../escape"}, {test_kernel_config("../escape", session)}, cluster_info{}, {}});
  REQUIRE(!path_id);
  CHECK(code_of(path_id.error()) == errc::invalid_argument);
  CHECK(ask<std::string>(op::ping{"alive"}));
}
