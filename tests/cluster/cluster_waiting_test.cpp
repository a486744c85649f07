// The truth about waiting, against a real manager and two agents: a session that could never run
// is refused at once with the reason, and one that waits for room says why in its status_reason
// and its history until it runs.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cluster/process_cluster.hpp"
#include "support/eventually.hpp"

using namespace baikal::test;

namespace {

/// The CPU capacity of agent `index` in GET /v1/agents.
double agent_cpus(const process_cluster& cluster, rapidjson::SizeType index) {
  auto agents = cluster.alice.get("/v1/agents");
  REQUIRE(agents.status == 200);
  REQUIRE(agents.json["agents"].Size() > index);
  auto& capacity = agents.json["agents"][index]["slots"]["capacity"];
  REQUIRE(capacity.HasMember("cpu"));
  return capacity["cpu"].GetDouble();
}

std::string session_body(const std::string& image, const std::string& name, double cpus,
                         int size = 1) {
  return R"({"name":")" + name + R"(","image":")" + image +
         R"(","cluster_mode":"single-node","cluster_size":)" + std::to_string(size) +
         R"(,"resources":{"cpu":)" + std::to_string(cpus) + R"(,"mem":134217728}})";
}

} // namespace

TEST_CASE("waiting: a session no agent of its group could ever hold is refused at creation with "
          "400 and the reason") {
  process_cluster cluster;
  auto biggest = std::max(agent_cpus(cluster, 0), agent_cpus(cluster, 1));
  // Each kernel fits an agent, but not all of them on one.
  auto refused =
      cluster.alice.post("/v1/sessions", session_body(cluster.image, "too-big", biggest, 2));
  CHECK_MESSAGE(refused.status == 400, refused.body);
  CHECK(refused.str("error") == "invalid_argument");
  auto message = refused.str("message");
  INFO(message);
  CHECK(message.find("no agent in scaling group 'default' could ever hold 2 kernels") !=
        std::string::npos);
  CHECK(message.find("on one agent: the largest") != std::string::npos);
  // Nothing was created.
  auto listed = cluster.alice.get("/v1/sessions");
  REQUIRE(listed.status == 200);
  CHECK(listed.json["sessions"].Size() == 0);
}

TEST_CASE("waiting: a PENDING session says why in status_reason and its history, and runs when "
          "room frees") {
  process_cluster cluster;
  // Two sessions that take all the CPUs of one agent each fill both.
  auto first =
      cluster.create_session(session_body(cluster.image, "fill-1", agent_cpus(cluster, 0)));
  auto second =
      cluster.create_session(session_body(cluster.image, "fill-2", agent_cpus(cluster, 1)));
  REQUIRE(cluster.wait_session_status(first, "RUNNING") == "RUNNING");
  REQUIRE(cluster.wait_session_status(second, "RUNNING") == "RUNNING");

  auto waiting = cluster.create_session(session_body(cluster.image, "waiting", 1));
  std::string reason;
  CHECK(eventually([&] {
    auto shown = cluster.alice.get("/v1/sessions/" + waiting);
    reason = shown.str("status_reason");
    return shown.str("status") == "PENDING" &&
           reason.find("not enough free resources in scaling group 'default' (2 ALIVE agents)") ==
               0;
  }));
  INFO(reason);
  CHECK(reason.find("the most free is cpu=0") != std::string::npos);

  auto history = cluster.alice.get("/v1/sessions/" + waiting + "/history");
  REQUIRE(history.status == 200);
  REQUIRE(history.json.IsArray());
  REQUIRE(history.json.Size() >= 2);
  CHECK(std::string{history.json[0]["status"].GetString()} == "PENDING");
  CHECK(std::string{history.json[0]["reason"].GetString()} == "waiting to be scheduled");
  auto& last = history.json[history.json.Size() - 1];
  CHECK(std::string{last["reason"].GetString()} == reason);
  CHECK(last["at_ms"].GetInt64() >= history.json[0]["at_ms"].GetInt64());
  CHECK(cluster.alice.get("/v1/sessions/no-such-session/history").status == 404);

  REQUIRE(cluster.alice.del("/v1/sessions/" + first).status == 200);
  REQUIRE(cluster.wait_session_status(waiting, "RUNNING") == "RUNNING");
  auto after = cluster.alice.get("/v1/sessions/" + waiting + "/history");
  REQUIRE(after.json.IsArray());
  std::vector<std::string> statuses;
  for (auto& change : after.json.GetArray())
    statuses.push_back(change["status"].GetString());
  CHECK(statuses.back() == "RUNNING");
  CHECK(std::find(statuses.begin(), statuses.end(), "SCHEDULED") != statuses.end());
  CHECK(cluster.alice.get("/v1/sessions/" + waiting).str("status_reason") ==
        std::string{after.json[after.json.Size() - 1]["reason"].GetString()});
}
