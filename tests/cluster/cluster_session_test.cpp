// A multi-node session across two agents in separate network namespaces, driven over HTTP from
// the root namespace: one kernel on each agent, each reaching the other over the session's
// overlay network, and nothing left on the engine once it is terminated.

#include <doctest/doctest.h>

#include "cluster/process_cluster.hpp"
#include "support/eventually.hpp"

using namespace baikal::test;
using namespace std::chrono_literals;

TEST_CASE("cluster: a multi-node session spans both agents over HTTP, its kernels reach each "
          "other, and terminating it removes the containers and the network") {
  process_cluster cluster;
  auto agents = cluster.alice.get("/v1/agents");
  REQUIRE(agents.status == 200);
  CHECK(agents.json["agents"].Size() == 2);

  // Dispersed scheduling over two idle agents: one kernel each.
  auto id = cluster.create_session(R"({"name":"cluster-mn","image":")" + cluster.image +
                                   R"(","cluster_mode":"multi-node","cluster_size":2,)"
                                   R"("resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto shown = cluster.alice.get("/v1/sessions/" + id);
  REQUIRE(shown.json["kernels"].Size() == 2);
  CHECK(kernel_field(shown, 0, "role") == "main");
  CHECK(kernel_field(shown, 1, "role") == "sub");
  for (size_t k = 0; k < 2; ++k) {
    CHECK(kernel_field(shown, k, "status") == "RUNNING");
    CHECK(cluster.engine.container_exists(kernel_field(shown, k, "container_id")));
  }
  auto main_agent = kernel_field(shown, 0, "agent");
  auto sub_agent = kernel_field(shown, 1, "agent");
  CHECK(main_agent != sub_agent);
  CHECK((main_agent == cluster.agent_1.id || main_agent == cluster.agent_2.id));
  CHECK((sub_agent == cluster.agent_1.id || sub_agent == cluster.agent_2.id));
  auto network = shown.str("network_id");
  CHECK(network == "bai-multinode-" + id);
  CHECK(cluster.engine.network_exists(network));

  // The main kernel reaches the sub kernel on the overlay: Docker's DNS gives the sub
  // container's address by its short id, and the sub kernel's own TCP stack answers a
  // connection to a closed port with a reset ("Connection refused"); an unreachable peer
  // would time out instead. (ping needs a raw socket the kernel user does not have.)
  auto sub = kernel_field(shown, 1, "container_id");
  auto sub_address = cluster.engine.address_on(sub, network);
  REQUIRE(!sub_address.empty());
  int exit_code = -1;
  auto out = cluster.run(id, "nc -w 5 " + sub.substr(0, 12) + " 1 </dev/null", &exit_code);
  INFO("main kernel printed: " << out);
  CHECK(exit_code != 0);
  // The name resolved to the sub kernel's address on the session's overlay network.
  CHECK(out.find("(" + sub_address + "): Connection refused") != std::string::npos);
  CHECK(out.find("timed out") == std::string::npos);
  CHECK(cluster.run(id, "echo from-main") == "from-main\n");

  auto deleted = cluster.alice.del("/v1/sessions/" + id);
  CHECK_MESSAGE(deleted.status == 200, deleted.body);
  CHECK(cluster.wait_session_status(id, "TERMINATED") == "TERMINATED");
  CHECK(eventually([&] {
    return !cluster.engine.container_exists(kernel_field(shown, 0, "container_id")) &&
           !cluster.engine.container_exists(kernel_field(shown, 1, "container_id"));
  }));
  CHECK(eventually([&] { return !cluster.engine.network_exists(network); }));
}

// Each kernel's container has its cluster hostname as Hostname and as an alias on the
// session's network, so the hosts of BACKENDAI_CLUSTER_HOSTS resolve in every kernel (not only
// Docker's own names, as above).
TEST_CASE("cluster: the kernels of a multi-node session reach each other by their cluster "
          "hostnames") {
  process_cluster cluster;
  auto id = cluster.create_session(R"({"name":"cluster-hosts","image":")" + cluster.image +
                                   R"(","cluster_mode":"multi-node","cluster_size":2,)"
                                   R"("resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  CHECK(cluster.run(id, "echo $BACKENDAI_CLUSTER_HOSTS") == "main1,sub1\n");
  CHECK(cluster.run(id, "hostname") == "main1\n");
  auto shown = cluster.alice.get("/v1/sessions/" + id);
  REQUIRE(shown.json["kernels"].Size() == 2);
  REQUIRE(kernel_field(shown, 1, "role") == "sub");
  auto sub_address =
      cluster.engine.address_on(kernel_field(shown, 1, "container_id"), shown.str("network_id"));
  REQUIRE(!sub_address.empty());
  auto out = cluster.run(id, "nc -w 5 sub1 1 </dev/null");
  INFO("main kernel printed: " << out);
  // "sub1" resolved to the sub kernel's address on the session network, which answered.
  CHECK(out.find("(" + sub_address + "): Connection refused") != std::string::npos);
  REQUIRE(cluster.alice.del("/v1/sessions/" + id).status == 200);
  CHECK(cluster.wait_session_status(id, "TERMINATED") == "TERMINATED");
}
