// Draining agents through the API against a whole manager with fake agents: only admin users
// may drain or undrain (403 permission_denied for the others, 404 not_found for an agent the
// manager does not know), GET /v1/agents shows each agent's drain, a drained agent gets no new
// kernels while its running ones stay, a session with nowhere else to go waits with the drain
// as its reason and runs once the agent is undrained, and a drain outlives a restart of the
// manager and the agent's registration with the new one.

#include <doctest/doctest.h>

#include "actors/manager/http/http_api.hpp"
#include "support/api_client.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

struct drain_fixture : manager_fixture {
  std::unique_ptr<http_api> api;
  api_client alice; ///< an ordinary user
  api_client ops;   ///< an admin user

  void start_api() {
    api_settings s;
    s.port = 0;
    s.users = {{"alice", "alice", "token-alice-0001"}, {"ops", "ops", "token-ops-00002", true}};
    s.manager_timeout = 10s;
    api = std::make_unique<http_api>(*sys, m.front, s);
    auto port = api->start();
    REQUIRE_MESSAGE(port, why(port));
    alice = api_client{*port, "token-alice-0001"};
    ops = api_client{*port, "token-ops-00002"};
  }

  void stop_api() {
    if (api)
      api->stop();
    api.reset();
  }

  ~drain_fixture() { stop_api(); }

  /// `"drained"` of agent `id` in GET /v1/agents; nothing when it is not listed.
  std::optional<bool> drained_shown(const std::string& id) {
    auto res = alice.get("/v1/agents");
    REQUIRE(res.status == 200);
    for (auto& a : res.json["agents"].GetArray())
      if (a["id"].GetString() == id)
        return a["drained"].GetBool();
    return std::nullopt;
  }

  agent_id agent_of(const session_id& id) {
    auto rec = get(id);
    REQUIRE_MESSAGE(rec, why(rec));
    return rec->spec.kernels.at(0).agent;
  }

  /// The reason of the session's last stored transition.
  std::string last_reason(const session_id& id) {
    auto h = history(id);
    return h.empty() ? std::string{} : h.back().reason;
  }
};

} // namespace

TEST_CASE_FIXTURE(drain_fixture, "http api: drain and undrain are refused with 403 "
                                 "permission_denied to a user who is not an admin, and answer "
                                 "404 not_found for an agent the manager does not know") {
  start();
  start_api();
  join("a1");
  for (auto action : {"drain", "undrain"}) {
    CAPTURE(action);
    auto refused = alice.post(std::string{"/v1/agents/a1/"} + action);
    CHECK(refused.status == 403);
    CHECK(refused.str("error") == "permission_denied");
    CHECK(refused.str("message") ==
          std::string{"only admin users may "} + action +
              " agents; user 'alice' is not one (admin = true on its [[users]] entry in "
              "manager.toml)");
    auto unknown = ops.post(std::string{"/v1/agents/no-such-agent/"} + action);
    CHECK(unknown.status == 404);
    CHECK(unknown.str("error") == "not_found");
    CHECK(unknown.str("message").find("no agent no-such-agent") != std::string::npos);
    // The refusal is about who asks: nothing changed.
    CHECK(drained_shown("a1") == false);
  }
  auto with_body = ops.post("/v1/agents/a1/drain", R"({"why":"maintenance"})");
  CHECK(with_body.status == 400);
  CHECK(drained_shown("a1") == false);
}

TEST_CASE_FIXTURE(drain_fixture, "drain: a drained agent gets no new kernels while its "
                                 "running ones stay, with every agent drained a session waits "
                                 "for the drain, and undrain places it") {
  start();
  start_api();
  join("a1", {{"cpu", 8}, {"mem", 8e9}});
  join("a2", {{"cpu", 8}, {"mem", 8e9}});
  // Concentrated scheduling over two idle agents: the first session goes to a1.
  auto before = create(request());
  REQUIRE(reaches(before, "RUNNING"));
  REQUIRE(agent_of(before) == "a1");

  auto drained = ops.post("/v1/agents/a1/drain");
  REQUIRE_MESSAGE(drained.status == 200, drained.body);
  CHECK(drained.str("id") == "a1");
  CHECK(drained.json["drained"].GetBool());
  CHECK(drained_shown("a1") == true);
  CHECK(drained_shown("a2") == false);
  // Again: still drained, still 200.
  CHECK(ops.post("/v1/agents/a1/drain").status == 200);

  // a1 is fuller, so concentrated scheduling would prefer it: every session goes to a2.
  for (int i = 0; i < 3; ++i) {
    auto id = create(request());
    REQUIRE(reaches(id, "RUNNING"));
    CHECK(agent_of(id) == "a2");
  }
  CHECK(status_of(before) == "RUNNING"); // the running session stays where it is
  CHECK(agent_of(before) == "a1");

  REQUIRE(ops.post("/v1/agents/a2/drain").status == 200);
  auto waiting = create(request());
  REQUIRE(eventually([&] { return last_reason(waiting).find("drained") != std::string::npos; }));
  CHECK(status_of(waiting) == "PENDING");
  CHECK(last_reason(waiting) ==
        "no ALIVE agent in scaling group 'default' (2 drained: taking no new kernels)");

  auto undrained = ops.post("/v1/agents/a1/undrain");
  REQUIRE_MESSAGE(undrained.status == 200, undrained.body);
  CHECK_FALSE(undrained.json["drained"].GetBool());
  CHECK(drained_shown("a1") == false);
  REQUIRE(reaches(waiting, "RUNNING"));
  CHECK(agent_of(waiting) == "a1");
  auto metrics = alice.get("/metrics");
  CHECK(metrics.body.find("baikal_agents_drained 1\n") != std::string::npos);
}

TEST_CASE_FIXTURE(drain_fixture,
                  "drain: an agent stays drained across a restart of the manager "
                  "and its registration with the new one, and one not back yet can be drained") {
  start();
  auto a1 = join("a1");
  join("a2");
  REQUIRE(ask<ack>(m.front, api::set_agent_drain{"a1", true, "ops"}));
  stop();
  start();
  start_api();
  // Before it is back, the agent is listed LOST and drained.
  CHECK(drained_shown("a1") == true);
  CHECK(drained_shown("a2") == false);
  // An agent that did not come back yet may be drained too.
  auto lost = ops.post("/v1/agents/a2/drain");
  CHECK_MESSAGE(lost.status == 200, lost.body);
  CHECK(drained_shown("a2") == true);
  auto again = spawn_fake_agent(*sys, "a1", a1);
  agents.push_back(caf::actor_cast<caf::actor>(again));
  auto sink = register_agent("a1", again, {{"cpu", 8}, {"mem", 8e9}});
  a1->with([&](fake_agent_log& l) { return l.sink = sink; });
  CHECK(drained_shown("a1") == true);
  // Only a1 is back: the session waits for it, and says why.
  auto waiting = create(request());
  REQUIRE(eventually([&] { return last_reason(waiting).find("drained") != std::string::npos; }));
  CHECK(status_of(waiting) == "PENDING");
  REQUIRE(ops.post("/v1/agents/a1/undrain").status == 200);
  REQUIRE(reaches(waiting, "RUNNING"));
  CHECK(agent_of(waiting) == "a1");
  stop_api();
  stop();
  // The undrain is kept too.
  auto db = session_store::open(settings.store_path);
  REQUIRE_MESSAGE(db, why(db));
  auto left = (*db)->list_drained_agents();
  REQUIRE_MESSAGE(left, why(left));
  CHECK(*left == std::vector<agent_id>{"a2"});
}
