// Draining an agent of a cluster of real processes: the operator drains one of two agents with
// baikalctl, every new session lands on the other while the running one stays; with both
// drained a new session stays PENDING for the drain, and undraining one runs it there.

#include <doctest/doctest.h>

#include "cluster/process_cluster.hpp"
#include "integration/ctl_process.hpp"
#include "runtime/store/session_store.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

const char* small = R"(","resources":{"cpu":0.25,"mem":67108864}})";

/// `baikalctl agents ACTION ID` as the cluster's admin user.
ctl_result ctl_as_ops(const process_cluster& cluster, const std::string& action,
                      const std::string& id) {
  return run_ctl({"agents", action, id},
                 {{"BAIKAL_API_URL", "http://" + cluster.net.manager.address + ":8090"},
                  {"BAIKAL_TOKEN", "cluster-token-ops-0001"}});
}

/// `"drained"` of agent `id` in GET /v1/agents (false when it is not listed).
bool drained_shown(const process_cluster& cluster, const std::string& id) {
  auto res = cluster.alice.get("/v1/agents");
  REQUIRE(res.status == 200);
  for (auto& a : res.json["agents"].GetArray())
    if (a["id"].GetString() == id)
      return a["drained"].GetBool();
  return false;
}

/// The reason of the session's last transition, read from the manager's store (WAL lets a
/// second connection read beside the manager).
std::string last_reason(const process_cluster& cluster, const std::string& session) {
  auto db = session_store::open((cluster.dir.path / "manager.db").string());
  if (!db)
    return {};
  auto history = (*db)->status_history(session);
  return history && !history->empty() ? history->back().reason : std::string{};
}

} // namespace

TEST_CASE("cluster: drain: a drained agent gets no new kernels while its running one stays, "
          "with both drained a session waits PENDING for the drain, and undrain places it") {
  process_cluster cluster;
  auto& a1 = cluster.agent_1.id;
  auto& a2 = cluster.agent_2.id;
  auto session = [&](const std::string& name) {
    return cluster.create_session(R"({"name":")" + name + R"(","image":")" + cluster.image + small);
  };
  auto agent_of = [&](const std::string& id) {
    return kernel_field(cluster.alice.get("/v1/sessions/" + id), 0, "agent");
  };

  // Dispersed scheduling: the first session goes to one agent, which is then drained.
  auto first = session("drain-first");
  REQUIRE(cluster.wait_session_status(first, "RUNNING") == "RUNNING");
  auto busy = agent_of(first);
  REQUIRE((busy == a1 || busy == a2));
  auto other = busy == a1 ? a2 : a1;

  // Only an admin may drain.
  auto refused = cluster.alice.post("/v1/agents/" + busy + "/drain");
  CHECK(refused.status == 403);
  CHECK(refused.str("error") == "permission_denied");
  auto drained = ctl_as_ops(cluster, "drain", busy);
  REQUIRE_MESSAGE(drained.exit_code == 0, drained.err);
  CHECK(drained.out.find("drained") != std::string::npos);
  CHECK(drained_shown(cluster, busy));
  CHECK_FALSE(drained_shown(cluster, other));

  // Dispersed scheduling would spread these over both agents: all go to the other one.
  std::vector<std::string> later;
  for (int i = 0; i < 3; ++i)
    later.push_back(session("drain-" + std::to_string(i)));
  for (auto& id : later) {
    REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
    CHECK(agent_of(id) == other);
  }
  CHECK(cluster.alice.get("/v1/sessions/" + first).str("status") == "RUNNING");
  CHECK(agent_of(first) == busy);
  CHECK(cluster.run(first, "echo still-here") == "still-here\n");

  // Both drained: a new session waits, and its reason says why.
  auto both = cluster.ops.post("/v1/agents/" + other + "/drain");
  REQUIRE_MESSAGE(both.status == 200, both.body);
  auto waiting = session("drain-waiting");
  REQUIRE(eventually(
      [&] { return last_reason(cluster, waiting).find("drained") != std::string::npos; }));
  CHECK(cluster.alice.get("/v1/sessions/" + waiting).str("status") == "PENDING");
  CHECK(last_reason(cluster, waiting) ==
        "no ALIVE agent in scaling group 'default' (2 drained: taking no new kernels)");

  // Undrained, the agent takes the waiting session.
  auto undrained = ctl_as_ops(cluster, "undrain", other);
  REQUIRE_MESSAGE(undrained.exit_code == 0, undrained.err);
  CHECK_FALSE(drained_shown(cluster, other));
  REQUIRE(cluster.wait_session_status(waiting, "RUNNING") == "RUNNING");
  CHECK(agent_of(waiting) == other);
  CHECK(cluster.run(waiting, "echo placed") == "placed\n");
}
