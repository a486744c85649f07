// An agent killed with SIGKILL while it runs a kernel, then started again with the same config:
// it recovers the kernel from its container, rejoins the manager, and the kernel serves code
// over the API as before.

#include <doctest/doctest.h>

#include <csignal>

#include "cluster/process_cluster.hpp"

using namespace baikal::test;

TEST_CASE("cluster: an agent killed with SIGKILL and restarted is ALIVE again and its kernel "
          "still serves execute") {
  process_cluster cluster;
  auto id = cluster.create_session(R"({"name":"cluster-kill","image":")" + cluster.image +
                                   R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto before = cluster.alice.get("/v1/sessions/" + id);
  auto agent = kernel_field(before, 0, "agent");
  auto container = kernel_field(before, 0, "container_id");
  CHECK(cluster.run(id, "echo kept > /home/work/mark; echo before-kill") == "before-kill\n");

  CHECK(cluster.stop_agent(agent, SIGKILL) == 128 + SIGKILL);
  // Its connection ended with the process: the manager notices without waiting for beats.
  REQUIRE(cluster.wait_agent_status(agent, "LOST"));
  CHECK(cluster.engine.container_exists(container));

  cluster.start_agent(cluster.node_of(agent));
  REQUIRE_MESSAGE(cluster.wait_agent_status(agent, "ALIVE"), cluster.agent_process(agent).output());
  auto after = cluster.alice.get("/v1/sessions/" + id);
  CHECK(after.str("status") == "RUNNING");
  CHECK(kernel_field(after, 0, "status") == "RUNNING");
  CHECK(kernel_field(after, 0, "container_id") == container);
  CHECK(cluster.run(id, "cat /home/work/mark; echo after-restart") == "kept\nafter-restart\n");
}
