// The agent registry with identity checks (a manager with TLS between nodes): a node registers
// only as the agent its certificate names, over a challenge of the registry used once; a
// refused registration says why and changes nothing.

#include <doctest/doctest.h>

#include "actors/manager/agent_registry.hpp"
#include "support/cluster_certs.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

struct identity_registry_fixture : manager_fixture {
  std::filesystem::path certs = dir.path / "certs";

  identity_registry_fixture() {
    REQUIRE(make_cluster_certs(certs, "manager agent-1 agent-2"));
    auto verifier = cluster::identity_verifier::load(node_tls(certs, "manager", certs));
    REQUIRE_MESSAGE(verifier, why(verifier));
    settings.agent_identity = *verifier;
    start();
  }

  std::string challenge() {
    auto c = ask<registration_challenge>(m.registry, op::get_registration_challenge{"x"});
    REQUIRE_MESSAGE(c, why(c));
    return c->challenge;
  }

  /// A registration as `id` with `holder`'s certificate and key, over a fresh challenge.
  op::register_agent registration(const agent_id& id, const std::string& holder) {
    auto signer = cluster::identity_signer::load(node_tls(certs, holder, certs));
    REQUIRE_MESSAGE(signer, why(signer));
    auto proof = (*signer)->prove(challenge(), id);
    REQUIRE_MESSAGE(proof, why(proof));
    auto handle = spawn_fake_agent(*sys, id, std::make_shared<fake_agent_log>());
    agents.push_back(caf::actor_cast<caf::actor>(handle));
    return op::register_agent{id, "10.0.0.9:6001", "default", {{"cpu", 4}, {"mem", 8e9}},
                              {}, handle,          *proof,    {}};
  }

  std::vector<std::string> listed() {
    std::vector<std::string> out;
    auto agents_now = ask<std::vector<agent_view>>(m.front, api::list_agents{});
    REQUIRE_MESSAGE(agents_now, why(agents_now));
    for (auto& a : *agents_now)
      out.push_back(a.record.id + ":" + to_string(a.record.status));
    return out;
  }
};

void check_refused(const caf::expected<agent_registration>& answer, const std::string& why_text) {
  REQUIRE_FALSE(answer);
  CHECK(code_of(answer.error()) == errc::permission_denied);
  CHECK_MESSAGE(message_of(answer.error()).find(why_text) != std::string::npos,
                message_of(answer.error()));
}

} // namespace

TEST_CASE_FIXTURE(identity_registry_fixture,
                  "manager registry: with identity checks, the holder of agent-1's certificate "
                  "cannot register as agent-2, and agent-2 itself can") {
  check_refused(ask<agent_registration>(m.registry, registration("agent-2", "agent-1")),
                "the manager refused the registration of agent agent-2: its certificate names "
                "agent-1, agent-1, not agent-2");
  CHECK(listed().empty());

  auto right = ask<agent_registration>(m.registry, registration("agent-2", "agent-2"));
  REQUIRE_MESSAGE(right, why(right));
  CHECK(listed() == std::vector<std::string>{"agent-2:ALIVE"});

  // Once agent-2 is joined, an impostor's attempt leaves it and its handle as they are.
  auto handle = ask<agent_actor>(m.front, api::agent_handle{"agent-2"});
  REQUIRE(handle);
  check_refused(ask<agent_registration>(m.registry, registration("agent-2", "agent-1")),
                "not agent-2");
  CHECK(listed() == std::vector<std::string>{"agent-2:ALIVE"});
  auto after = ask<agent_actor>(m.front, api::agent_handle{"agent-2"});
  REQUIRE(after);
  CHECK(*after == *handle);
}

TEST_CASE_FIXTURE(identity_registry_fixture,
                  "manager registry: with identity checks, a registration without a proof, over "
                  "a challenge the registry never gave, or played again is refused") {
  auto bare = registration("agent-1", "agent-1");
  bare.identity = {};
  check_refused(ask<agent_registration>(m.registry, bare), "sent no certificate");

  auto made_up = registration("agent-1", "agent-1");
  auto signer = cluster::identity_signer::load(node_tls(certs, "agent-1", certs));
  REQUIRE(signer);
  made_up.identity = *(*signer)->prove("a-challenge-of-my-own", "agent-1");
  check_refused(ask<agent_registration>(m.registry, made_up),
                "it answered no challenge of this manager");
  CHECK(listed().empty());

  auto once = registration("agent-1", "agent-1");
  auto first = ask<agent_registration>(m.registry, once);
  REQUIRE_MESSAGE(first, why(first));
  check_refused(ask<agent_registration>(m.registry, once), "already used");
}
