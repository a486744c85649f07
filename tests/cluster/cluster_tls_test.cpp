// The cluster with certificates from deploy/make-certs.sh: both agents join the manager over
// TLS across namespaces and the manager calls them back over it; an agent whose certificate
// another CA signed is refused and says why, and so is a node of the cluster that registers
// as an agent its certificate does not name.

#include <doctest/doctest.h>

#include "cluster/impostor_node.hpp"
#include "cluster/process_cluster.hpp"
#include "support/eventually.hpp"
#include "support/text_search.hpp"
#include "support/why.hpp"

using namespace baikal::test;

namespace {

/// An agent in agent-2's namespace with a certificate of another CA that trusts the cluster
/// CA (it would accept the manager): the manager must be the one refusing it.
agent_node rogue_of(process_cluster& cluster) {
  agent_node rogue = cluster.agent_2;
  rogue.id = cluster.agent_2.id.substr(0, cluster.agent_2.id.rfind('-')) + "-rogue";
  rogue.port_first = cluster.agent_2.port_first + 100;
  rogue.tls = cluster.foreign_tls(rogue.id);
  return rogue;
}

} // namespace

TEST_CASE("cluster: agents join over TLS across namespaces, and an agent with a certificate of "
          "another CA is refused") {
  cluster_options tls;
  tls.tls = true;
  process_cluster cluster{tls};
  CHECK(cluster.manager_process().wrote("(TLS)"));
  for (auto* agent : {&cluster.agent_1, &cluster.agent_2})
    CHECK(cluster.agent_process(agent->id).wrote("over TLS"));

  // The manager reaches an agent through the TLS connection: a session runs code.
  auto id = cluster.create_session(R"({"name":"cluster-tls","image":")" + cluster.image +
                                   R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  CHECK(cluster.run(id, "echo over-tls") == "over-tls\n");
  REQUIRE(cluster.alice.del("/v1/sessions/" + id).status == 200);
  REQUIRE(cluster.wait_session_status(id, "TERMINATED") == "TERMINATED");

  auto rogue = rogue_of(cluster);
  cluster.start_agent(rogue);
  auto& log = cluster.agent_process(rogue.id);
  REQUIRE_MESSAGE(eventually([&] { return log.wrote("TLS handshake"); }), log.output());
  CHECK(log.wrote("the peer refused this node's certificate"));
  CHECK_FALSE(log.wrote("joined the manager"));
  CHECK(cluster.agent_status(rogue.id).empty());
  CHECK(cluster.alice.get("/v1/agents").json["agents"].Size() == 2);
  CHECK(cluster.stop_agent(rogue.id) == 0);
}

// A refused handshake on the manager once ended the TLS connections of the agents already
// joined ("its connection ended"), which then rejoined: CAF 0.17's caf::openssl::session reads
// SSL_get_error without clearing OpenSSL's per-thread error queue, so the failed verification's
// errors made the next SSL_read of another session on the same I/O thread look fatal.
// runtime/cluster/openssl_error_queue.cpp clears the queue before each SSL call of CAF's.
TEST_CASE("cluster: an agent refused over TLS does not disconnect the agents already joined") {
  cluster_options tls;
  tls.tls = true;
  process_cluster cluster{tls};
  auto rogue = rogue_of(cluster);
  cluster.start_agent(rogue);
  auto& log = cluster.agent_process(rogue.id);
  // Two refused attempts, the second after the manager has handled the first one fully.
  REQUIRE_MESSAGE(eventually([&] { return count_of(log.output(), "TLS handshake") >= 2; }),
                  log.output());
  CHECK(cluster.stop_agent(rogue.id) == 0);
  CHECK_FALSE(cluster.manager_process().wrote("is LOST"));
  CHECK(cluster.agent_status(cluster.agent_1.id) == "ALIVE");
  CHECK(cluster.agent_status(cluster.agent_2.id) == "ALIVE");
}

// CAF's TLS checks only that the cluster CA signed a peer's certificate, not whom it names: a
// node with agent-1's certificate used to be able to register as agent-2 and take its place.
TEST_CASE("cluster: a node with agent-1's certificate is refused as agent-2, which stays joined") {
  cluster_options opts;
  opts.tls = true;
  process_cluster cluster{opts};
  auto& one = cluster.agent_1;
  auto& two = cluster.agent_2;
  impostor_node impostor{{one.tls.certificate, one.tls.key, one.tls.ca}};
  auto registry = impostor.connect(cluster.net.manager.address, process_cluster::registry_port());
  REQUIRE_MESSAGE(registry, why(registry) << "\n" << cluster.manager_process().output());

  auto answer = impostor.register_as(*registry, two.id);
  REQUIRE_FALSE(answer);
  CHECK(baikal::code_of(answer.error()) == baikal::errc::permission_denied);
  CHECK(baikal::message_of(answer.error()) == "the manager refused the registration of agent " +
                                                  two.id + ": its certificate names " + one.id +
                                                  ", " + one.id + ", not " + two.id);
  auto& log = cluster.manager_process();
  REQUIRE_MESSAGE(
      eventually([&] { return log.wrote("refused the registration of agent " + two.id); }),
      log.output());
  CHECK(log.wrote("its certificate names " + one.id + ", " + one.id + ", not " + two.id));
  CHECK_FALSE(log.wrote("agent " + two.id + " rejoined"));
  CHECK(cluster.agent_status(two.id) == "ALIVE");

  // The manager still calls the real agent-2: with agent-1 gone, a session runs there.
  REQUIRE(cluster.stop_agent(one.id) == 0);
  REQUIRE(cluster.wait_agent_status(one.id, "LOST"));
  auto id = cluster.create_session(R"({"name":"still-two","image":")" + cluster.image +
                                   R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  CHECK(kernel_field(cluster.alice.get("/v1/sessions/" + id), 0, "agent") == two.id);
  CHECK(cluster.run(id, "echo still-agent-2") == "still-agent-2\n");
}
