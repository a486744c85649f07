// Which agent a TLS node is: the proof an agent sends at registration (its certificate and a
// signature over the registry's challenge and its id) against certificates made by
// deploy/make-certs.sh, and the registry's book of challenges, fed times instead of sleeping.

#include <doctest/doctest.h>

#include "actors/manager/registration_challenges.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "support/cluster_certs.hpp"
#include "support/temp_dir.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

/// A cluster CA with certificates for agent-1 and agent-2, and another CA with its own agent-2.
struct identity_fixture {
  test::temp_dir dir{"baikal-identity"};
  std::filesystem::path certs = dir.path / "certs";
  std::filesystem::path foreign = dir.path / "foreign";
  std::shared_ptr<const cluster::identity_verifier> verifier;

  identity_fixture() {
    REQUIRE(test::make_cluster_certs(certs, "manager agent-1 agent-2"));
    REQUIRE(test::make_cluster_certs(foreign, "agent-2"));
    auto v = cluster::identity_verifier::load(test::node_tls(certs, "manager", certs));
    REQUIRE_MESSAGE(v, test::why(v));
    verifier = *v;
  }

  std::shared_ptr<const cluster::identity_signer> signer(const std::filesystem::path& where,
                                                         const std::string& node) {
    auto s = cluster::identity_signer::load(test::node_tls(where, node, certs));
    REQUIRE_MESSAGE(s, test::why(s));
    return *s;
  }

  identity_proof proof(const std::shared_ptr<const cluster::identity_signer>& s,
                       const std::string& challenge, const agent_id& id) {
    auto p = s->prove(challenge, id);
    REQUIRE_MESSAGE(p, test::why(p));
    return *p;
  }
};

} // namespace

TEST_CASE_FIXTURE(identity_fixture, "agent identity: a certificate's names are its CN and its "
                                    "DNS subjectAltNames, compared exactly") {
  auto agent_1 = signer(certs, "agent-1");
  CHECK(agent_1->names() == std::vector<std::string>{"agent-1", "agent-1"});
  CHECK(cluster::names_agent(agent_1->names(), "agent-1"));
  CHECK_FALSE(cluster::names_agent(agent_1->names(), "Agent-1"));
  CHECK_FALSE(cluster::names_agent(agent_1->names(), "agent-10"));
  CHECK_FALSE(cluster::names_agent(agent_1->names(), ""));
  CHECK_FALSE(cluster::names_agent({"*.cluster"}, "a.cluster"));
  CHECK_FALSE(cluster::certificate_names("not a certificate"));
}

TEST_CASE_FIXTURE(identity_fixture, "agent identity: the holder of agent-1's certificate proves "
                                    "agent-1 and is refused as agent-2, naming both") {
  auto agent_1 = signer(certs, "agent-1");
  auto challenge = cluster::make_registration_challenge();
  CHECK(challenge.size() == 64);
  CHECK(challenge != cluster::make_registration_challenge());
  CHECK_FALSE(verifier->verify("agent-1", proof(agent_1, challenge, "agent-1")));

  auto err = verifier->verify("agent-2", proof(agent_1, challenge, "agent-2"));
  REQUIRE(err);
  CHECK(code_of(err) == errc::permission_denied);
  CHECK(message_of(err) == "its certificate names agent-1, agent-1, not agent-2");
}

TEST_CASE_FIXTURE(identity_fixture, "agent identity: a signature by another key, over another "
                                    "challenge or for another id is refused") {
  auto agent_1 = signer(certs, "agent-1");
  auto agent_2 = signer(certs, "agent-2");
  // agent-2's certificate (not secret: TLS shows it to every peer) with agent-1's signature.
  auto borrowed = proof(agent_1, "c1", "agent-2");
  borrowed.certificate = proof(agent_2, "c1", "agent-2").certificate;
  auto err = verifier->verify("agent-2", borrowed);
  REQUIRE(err);
  CHECK(message_of(err) == "the registration is not signed with the key of its certificate");

  auto replayed = proof(agent_2, "c1", "agent-2");
  replayed.challenge = "c2";
  CHECK(message_of(verifier->verify("agent-2", replayed)) ==
        "the registration is not signed with the key of its certificate");
  CHECK_FALSE(verifier->verify("agent-2", proof(agent_2, "c2", "agent-2")));
}

TEST_CASE_FIXTURE(identity_fixture, "agent identity: a certificate of another CA, or none, is "
                                    "refused with the reason") {
  auto rogue = signer(foreign, "agent-2");
  auto err = verifier->verify("agent-2", proof(rogue, "c1", "agent-2"));
  REQUIRE(err);
  CHECK(code_of(err) == errc::permission_denied);
  CHECK(message_of(err).find("not one the cluster CA signed") != std::string::npos);

  auto none = verifier->verify("agent-2", identity_proof{});
  REQUIRE(none);
  CHECK(message_of(none).find("sent no certificate") != std::string::npos);
  auto garbage = verifier->verify("agent-2", identity_proof{"-----BEGIN nonsense", "c1", "sig"});
  CHECK(message_of(garbage) == "its certificate is not a PEM certificate");
}

TEST_CASE_FIXTURE(identity_fixture, "agent identity: an agent whose certificate names another id "
                                    "is told so before it tries to join") {
  auto agent_1 = signer(certs, "agent-1");
  CHECK_FALSE(agent_1->check_names("agent-1"));
  auto err = agent_1->check_names("agent-2");
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  auto text = message_of(err);
  CHECK(text.find((certs / "agent-1.crt").string() + " names agent-1, agent-1, not this agent's "
                                                     "id agent-2") != std::string::npos);
  CHECK(text.find("make-certs.sh") != std::string::npos);
}

TEST_CASE("registration challenges: a challenge counts once, within its lifetime") {
  registration_challenges book{60s, 100};
  registration_challenges::clock::time_point t0{};
  book.add("a", t0);
  book.add("b", t0 + 1s);
  CHECK(book.redeem("a", t0 + 60s));
  CHECK_FALSE(book.redeem("a", t0 + 60s)); // used
  CHECK_FALSE(book.redeem("never-issued", t0 + 2s));
  CHECK_FALSE(book.redeem("b", t0 + 61s + 1ms)); // expired (and gone)
  CHECK_FALSE(book.redeem("b", t0 + 2s));
  CHECK(book.size() == 0);
}

TEST_CASE("registration challenges: expired ones are dropped and at most `capacity` are kept, "
          "the oldest going first") {
  registration_challenges book{10s, 3};
  registration_challenges::clock::time_point t0{};
  book.add("a", t0);
  book.add("b", t0 + 1s);
  book.add("c", t0 + 2s);
  book.add("d", t0 + 3s);
  CHECK(book.size() == 3);
  CHECK_FALSE(book.redeem("a", t0 + 4s));
  CHECK(book.redeem("b", t0 + 4s));
  book.add("e", t0 + 12s + 1ms); // c is older than 10 s by now
  CHECK(book.size() == 2);
  CHECK_FALSE(book.redeem("c", t0 + 12s));
  CHECK(book.redeem("d", t0 + 13s));
  CHECK(book.redeem("e", t0 + 13s));
  book.add("", t0 + 13s);
  CHECK(book.size() == 0);
  // Many used challenges within the lifetime do not pile up.
  for (int i = 0; i < 1000; ++i) {
    book.add("x" + std::to_string(i), t0 + 14s);
    CHECK(book.redeem("x" + std::to_string(i), t0 + 14s));
  }
  CHECK(book.size() == 0);
}
