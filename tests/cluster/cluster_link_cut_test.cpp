// An agent's network link cut and restored while it runs a kernel: the manager marks it LOST
// when its heartbeats stop, ALIVE again when they come back, and reconciles its kernels, which
// kept running and serve code again.

#include <doctest/doctest.h>

#include "cluster/process_cluster.hpp"
#include "support/eventually.hpp"
#include "support/text_search.hpp"

using namespace baikal::test;
using namespace std::chrono_literals;

TEST_CASE("cluster: an agent whose link is cut is LOST, and ALIVE again with its kernel "
          "reconciled and serving once the link is restored") {
  process_cluster cluster;
  auto id = cluster.create_session(R"({"name":"cluster-cut","image":")" + cluster.image +
                                   R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto before = cluster.alice.get("/v1/sessions/" + id);
  auto agent = kernel_field(before, 0, "agent");
  auto container = kernel_field(before, 0, "container_id");
  auto& node = cluster.node_of(agent);
  auto& other = agent == cluster.agent_1.id ? cluster.agent_2 : cluster.agent_1;
  CHECK(cluster.run(id, "echo before-cut") == "before-cut\n");
  // The manager reconciled the agent once when it joined; count from here.
  auto reconciled = "reconciling agent " + agent + " with 1 kernel(s)";
  auto reconciled_before = count_of(cluster.manager_process().output(), reconciled);

  REQUIRE(cluster.net.set_link(node.where, false));
  bool lost = cluster.wait_agent_status(agent, "LOST");
  // Restore before any assertion can stop the test: the namespace outlives it.
  auto lost_output = cluster.manager_process().output();
  REQUIRE(cluster.net.set_link(node.where, true));
  REQUIRE_MESSAGE(lost, lost_output);
  CHECK(lost_output.find("agent " + agent + " is LOST: no heartbeat") != std::string::npos);
  // The other agent's link was never cut.
  CHECK(cluster.agent_status(other.id) == "ALIVE");

  REQUIRE_MESSAGE(cluster.wait_agent_status(agent, "ALIVE"), cluster.agent_process(agent).output());
  CHECK(eventually([&] {
    return count_of(cluster.manager_process().output(), reconciled) > reconciled_before;
  }));
  auto after = cluster.alice.get("/v1/sessions/" + id);
  CHECK(after.str("status") == "RUNNING");
  CHECK(kernel_field(after, 0, "status") == "RUNNING");
  CHECK(kernel_field(after, 0, "container_id") == container);
  CHECK(cluster.engine.container_exists(container));
  CHECK(cluster.run(id, "echo after-restore") == "after-restore\n");
}
