// The manager stopped with SIGTERM and started again on the same store: every session is still
// listed with its status, the agents rejoin by themselves, and a running session serves code.

#include <doctest/doctest.h>

#include "cluster/process_cluster.hpp"

using namespace baikal::test;

namespace {

std::string status_in_list(const api_answer& list, const std::string& id) {
  for (auto& s : list.json["sessions"].GetArray())
    if (std::string{s["id"].GetString()} == id)
      return s["status"].GetString();
  return {};
}

} // namespace

TEST_CASE("cluster: a restarted manager keeps its sessions with their status, the agents "
          "rejoin, and execute still works") {
  process_cluster cluster;
  auto running = cluster.create_session(R"({"name":"cluster-kept","image":")" + cluster.image +
                                        R"(","resources":{"cpu":1,"mem":134217728}})");
  auto ended = cluster.create_session(R"({"name":"cluster-ended","image":")" + cluster.image +
                                      R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(running, "RUNNING") == "RUNNING");
  REQUIRE(cluster.wait_session_status(ended, "RUNNING") == "RUNNING");
  REQUIRE(cluster.alice.del("/v1/sessions/" + ended).status == 200);
  REQUIRE(cluster.wait_session_status(ended, "TERMINATED") == "TERMINATED");
  auto before = cluster.alice.get("/v1/sessions/" + running);
  CHECK(cluster.run(running, "echo before-restart") == "before-restart\n");

  CHECK(cluster.stop_manager() == 0);
  cluster.start_manager();

  auto list = cluster.alice.get("/v1/sessions");
  REQUIRE_MESSAGE(list.status == 200, list.body);
  CHECK(status_in_list(list, running) == "RUNNING");
  CHECK(status_in_list(list, ended) == "TERMINATED");
  REQUIRE_MESSAGE(cluster.wait_agent_status(cluster.agent_1.id, "ALIVE"),
                  cluster.manager_process().output());
  REQUIRE(cluster.wait_agent_status(cluster.agent_2.id, "ALIVE"));
  auto after = cluster.alice.get("/v1/sessions/" + running);
  CHECK(after.str("name") == "cluster-kept");
  CHECK(kernel_field(after, 0, "agent") == kernel_field(before, 0, "agent"));
  CHECK(kernel_field(after, 0, "container_id") == kernel_field(before, 0, "container_id"));
  CHECK(kernel_field(after, 0, "status") == "RUNNING");
  CHECK(cluster.run(running, "echo after-restart") == "after-restart\n");
}
