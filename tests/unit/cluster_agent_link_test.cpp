// A real baikal-agent process joining a test double of the manager's agent registry over CAF's
// middleman, plain and TLS. The agent needs no Docker engine for this: with no engine it
// recovers nothing and still serves ping and gather_hwinfo.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/unpublish.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/cluster/node.hpp"
#include "support/child_process.hpp"
#include "support/cluster_certs.hpp"
#include "support/eventually.hpp"
#include "support/recording_registry.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

/// The test process as a manager node: its own actor system with the middleman (and TLS).
struct manager_node {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  cluster::tls_settings tls;

  explicit manager_node(cluster::tls_settings t = {}) : tls(std::move(t)) {
    REQUIRE_FALSE(cluster::validate_tls(tls));
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", 2);
    cluster::configure_node(cfg, tls);
    sys = std::make_unique<caf::actor_system>(cfg);
    // A failed REQUIRE leaves actors running: never wait for them at the end.
    sys->await_actors_before_shutdown(false);
  }

  /// Publishes `reg` on 127.0.0.1:`port` (0 picks one); answers the port, 0 on failure.
  uint16_t publish(const test::recording_registry& reg, uint16_t port = 0) {
    auto bound = cluster::publish(*sys, reg.actor, host_port{"127.0.0.1", port}, tls);
    return bound ? *bound : 0;
  }

  void stop(const test::recording_registry& reg) {
    caf::anon_send_exit(reg.actor, caf::exit_reason::kill);
    caf::anon_send_exit(reg.events_sink, caf::exit_reason::kill);
  }
};

/// A directory with the agent's config: no Docker engine, ports picked by the system.
std::string write_agent_config(const std::filesystem::path& dir, const std::string& id) {
  auto path = (dir / "agent.toml").string();
  std::ofstream{path} << "[agent]\nid = \"" << id << "\"\n"
                      << "rpc-listen-addr = { host = \"127.0.0.1\", port = 0 }\n"
                      << "[container]\nscratch-root = \"" << (dir / "scratch").string() << "\"\n"
                      << "var-base-path = \"" << (dir / "var").string() << "\"\n"
                      << "base-commit-path = \"" << (dir / "commit").string() << "\"\n"
                      << "[docker]\nsocket = \"" << (dir / "no-docker.sock").string() << "\"\n";
  return path;
}

std::unique_ptr<test::child_process> start_agent(const std::filesystem::path& dir,
                                                 const std::string& id, uint16_t manager_port,
                                                 std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{BAIKAL_AGENT_PATH, "--config", write_agent_config(dir, id),
                                "--manager", "127.0.0.1:" + std::to_string(manager_port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  // No engine: an inherited DOCKER_HOST would win over docker.socket.
  ::unsetenv("DOCKER_HOST");
  return std::make_unique<test::child_process>(argv, (dir / "agent.log").string());
}

/// Stops the agent with SIGTERM and checks that it exits 0; otherwise shows its output (a
/// sanitizer's report at exit, abort_on_error: 134, is in it).
void check_stops_cleanly(test::child_process& agent) {
  auto exit_code = agent.stop(SIGTERM);
  CHECK_MESSAGE(exit_code == 0, agent.output());
}

/// Certificates from the deployment script: OUT/ca.crt and OUT/NODE.{crt,key}.
void make_certs(const std::filesystem::path& out, const std::string& nodes) {
  REQUIRE(test::make_cluster_certs(out, nodes));
}

using test::node_tls;

std::vector<std::string> tls_flags(const cluster::tls_settings& tls) {
  return {"--tls-cert", tls.certificate, "--tls-key", tls.key, "--tls-ca", tls.ca};
}

/// The delays of "retrying in N.Ns" lines, in order.
std::vector<double> retry_delays(const std::string& log) {
  std::vector<double> out;
  static const std::regex retry{"retrying in ([0-9.]+)s"};
  for (std::sregex_iterator i{log.begin(), log.end(), retry}, end; i != end; ++i)
    out.push_back(std::stod((*i)[1]));
  return out;
}

std::string ping(caf::actor_system& sys, const agent_actor& agent, const std::string& text) {
  caf::scoped_actor self{sys};
  std::string out;
  self->request(agent, 10s, op::ping{text})
      .receive([&](std::string& s) { out = s; },
               [&](caf::error& err) { out = "error: " + message_of(err); });
  return out;
}

} // namespace

TEST_CASE("cluster: a real agent joins, heartbeats, is called back, and rejoins a new registry") {
  test::temp_dir dir{"baikal-link"};
  manager_node node;
  auto first = test::spawn_recording_registry(*node.sys);
  auto port = node.publish(first);
  REQUIRE(port != 0);
  auto agent = start_agent(dir.path, "agent-link-1", port);

  REQUIRE_MESSAGE(test::eventually([&] { return first.log->registration_count() >= 1; }, 30s),
                  agent->output());
  auto reg = first.log->last_registration();
  CHECK(reg.id == "agent-link-1");
  CHECK(reg.scaling_group == "default");
  CHECK(reg.addr.rfind("127.0.0.1:", 0) == 0);
  CHECK(reg.capacity.count("cpu") == 1);
  CHECK(reg.capacity.count("mem") == 1);
  CHECK(reg.hwinfo.kinds.count("cpu") == 1);
  REQUIRE(reg.handle);
  CHECK(test::eventually([&] { return first.log->heartbeat_count() >= 3; }, 30s));
  // The handle came inside the registration: the call goes back over the agent's connection.
  CHECK(ping(*node.sys, reg.handle, "across processes") == "across processes");
  CHECK(agent->wrote("joined the manager at 127.0.0.1:" + std::to_string(port)));

  // The registry goes away; the agent notices, backs off, and registers with the new one.
  REQUIRE(caf::io::unpublish(first.actor, port));
  node.stop(first);
  REQUIRE_MESSAGE(test::eventually([&] { return agent->wrote("lost the manager"); }, 30s),
                  agent->output());
  // Nothing listens for a while: each refused attempt waits longer than the one before.
  REQUIRE_MESSAGE(test::eventually([&] { return retry_delays(agent->output()).size() >= 3; }, 60s),
                  agent->output());
  auto delays = retry_delays(agent->output());
  CHECK(delays[1] > delays[0]);
  CHECK(delays[2] > delays[1]);
  auto second = test::spawn_recording_registry(*node.sys);
  uint16_t again = 0;
  REQUIRE(test::eventually([&] { return (again = node.publish(second, port)) != 0; }, 30s));
  CHECK(again == port);
  REQUIRE_MESSAGE(test::eventually([&] { return second.log->registration_count() >= 1; }, 60s),
                  agent->output());
  CHECK(second.log->last_registration().id == "agent-link-1");
  // The registry counts the registration before the agent has its answer and says so.
  CHECK_MESSAGE(test::eventually([&] { return agent->wrote("rejoined the manager"); }, 30s),
                agent->output());
  CHECK(ping(*node.sys, second.log->last_registration().handle, "again") == "again");

  check_stops_cleanly(*agent);
  node.stop(second);
}

TEST_CASE("cluster: an agent process whose agent actor ended exits non-zero instead of "
          "registering again") {
  test::temp_dir dir{"baikal-link-end"};
  manager_node node;
  auto registry = test::spawn_recording_registry(*node.sys);
  auto port = node.publish(registry);
  REQUIRE(port != 0);
  auto agent = start_agent(dir.path, "agent-link-5", port);
  REQUIRE_MESSAGE(test::eventually([&] { return registry.log->registration_count() >= 1; }, 30s),
                  agent->output());
  // The shutdown operation ends the agent actor without a stop signal to the process.
  caf::scoped_actor self{*node.sys};
  self->request(registry.log->last_registration().handle, 30s, op::shutdown{0})
      .receive([](ack) {}, [](caf::error& err) { FAIL(message_of(err)); });
  auto registered = registry.log->registration_count();
  auto rc = agent->wait_for(30s);
  CHECK_MESSAGE(rc == 1, agent->output());
  CHECK(agent->wrote("the agent actor ended"));
  CHECK(registry.log->registration_count() == registered);
  node.stop(registry);
}

TEST_CASE("cluster: an agent the registry no longer knows registers again on the same link") {
  test::temp_dir dir{"baikal-link-forget"};
  manager_node node;
  auto registry = test::spawn_recording_registry(*node.sys);
  auto port = node.publish(registry);
  REQUIRE(port != 0);
  auto agent = start_agent(dir.path, "agent-link-4", port);
  REQUIRE_MESSAGE(test::eventually([&] { return registry.log->registration_count() >= 1; }, 30s),
                  agent->output());
  // What a restarted manager answers: known = false to the next heartbeat.
  registry.log->forget_all();
  REQUIRE_MESSAGE(test::eventually([&] { return registry.log->registration_count() >= 2; }, 30s),
                  agent->output());
  CHECK(registry.log->last_registration().id == "agent-link-4");
  CHECK(test::eventually([&] { return agent->wrote("does not know agent agent-link-4"); }, 30s));
  CHECK_FALSE(agent->wrote("lost the manager"));
  // Beats go on after the new registration.
  auto beats = registry.log->heartbeat_count();
  CHECK(test::eventually([&] { return registry.log->heartbeat_count() >= beats + 2; }, 30s));
  check_stops_cleanly(*agent);
  node.stop(registry);
}

TEST_CASE("cluster: with certificates of the cluster CA on both sides the agent joins over TLS") {
  test::temp_dir dir{"baikal-link-tls"};
  auto certs = dir.path / "certs";
  make_certs(certs, "manager agent-link-2");
  manager_node node{node_tls(certs, "manager", certs)};
  auto registry = test::spawn_recording_registry(*node.sys);
  auto port = node.publish(registry);
  REQUIRE(port != 0);
  auto agent = start_agent(dir.path, "agent-link-2", port,
                           tls_flags(node_tls(certs, "agent-link-2", certs)));

  REQUIRE_MESSAGE(test::eventually([&] { return registry.log->registration_count() >= 1; }, 30s),
                  agent->output());
  auto reg = registry.log->last_registration();
  CHECK(reg.id == "agent-link-2");
  // It proved which agent it is, over the registry's challenge.
  CHECK(reg.identity.challenge == "challenge-of-the-recording-registry");
  auto verifier = cluster::identity_verifier::load(node_tls(certs, "manager", certs));
  REQUIRE(verifier);
  CHECK_FALSE((*verifier)->verify("agent-link-2", reg.identity));
  CHECK(test::eventually([&] { return registry.log->heartbeat_count() >= 2; }, 30s));
  CHECK(ping(*node.sys, reg.handle, "over tls") == "over tls");
  CHECK(agent->wrote("over TLS"));

  check_stops_cleanly(*agent);
  node.stop(registry);
}

TEST_CASE("cluster: an agent whose certificate another CA signed is refused") {
  test::temp_dir dir{"baikal-link-foreign"};
  auto certs = dir.path / "certs";
  auto foreign = dir.path / "foreign";
  make_certs(certs, "manager");
  make_certs(foreign, "agent-link-3");
  manager_node node{node_tls(certs, "manager", certs)};
  auto registry = test::spawn_recording_registry(*node.sys);
  auto port = node.publish(registry);
  REQUIRE(port != 0);
  // The rogue trusts our CA (it would accept the manager): the manager must be the one refusing.
  auto rogue = start_agent(dir.path, "agent-link-3", port,
                           tls_flags(node_tls(foreign, "agent-link-3", certs)));

  REQUIRE_MESSAGE(test::eventually([&] { return rogue->wrote("TLS handshake"); }, 30s),
                  rogue->output());
  CHECK(registry.log->registration_count() == 0);
  CHECK(registry.log->heartbeat_count() == 0);
  check_stops_cleanly(*rogue);
  node.stop(registry);
}

TEST_CASE("cluster: an agent given a TLS key that does not exist stops at once, naming it") {
  test::temp_dir dir{"baikal-link-nokey"};
  auto certs = dir.path / "certs";
  make_certs(certs, "agent-link-5");
  auto tls = node_tls(certs, "agent-link-5", certs);
  tls.key = (certs / "missing.key").string();
  // Nothing listens on port 9: the agent must fail before trying to connect anywhere.
  auto agent = start_agent(dir.path, "agent-link-5", 9, tls_flags(tls));
  CHECK(agent->wait() == 2);
  CHECK(agent->wrote("TLS key " + tls.key + " cannot be read"));
  CHECK_FALSE(agent->wrote("joins the manager"));
}

TEST_CASE("cluster: an agent whose certificate names another agent stops at once, naming both") {
  test::temp_dir dir{"baikal-link-othername"};
  auto certs = dir.path / "certs";
  make_certs(certs, "agent-link-6");
  // Nothing listens on port 9: the agent must fail before trying to connect anywhere.
  auto agent =
      start_agent(dir.path, "agent-link-7", 9, tls_flags(node_tls(certs, "agent-link-6", certs)));
  CHECK(agent->wait() == 2);
  CHECK_MESSAGE(agent->wrote("agent-link-6.crt names agent-link-6, agent-link-6, not this "
                             "agent's id agent-link-7"),
                agent->output());
  CHECK_FALSE(agent->wrote("joins the manager"));
}

TEST_CASE("cluster: an agent given several managers (--manager A,B) joins the one that answers") {
  test::temp_dir dir{"baikal-link-many"};
  manager_node node;
  // A port nothing listens on: publish, note it, take it back.
  auto probe = test::spawn_recording_registry(*node.sys);
  auto silent = node.publish(probe);
  REQUIRE(silent != 0);
  REQUIRE(caf::io::unpublish(probe.actor, silent));
  node.stop(probe);
  auto registry = test::spawn_recording_registry(*node.sys);
  auto port = node.publish(registry);
  REQUIRE(port != 0);
  std::vector<std::string> argv{
      BAIKAL_AGENT_PATH, "--config", write_agent_config(dir.path, "agent-link-many"), "--manager",
      "127.0.0.1:" + std::to_string(silent) + ",127.0.0.1:" + std::to_string(port)};
  ::unsetenv("DOCKER_HOST");
  auto agent = std::make_unique<test::child_process>(argv, (dir.path / "agent.log").string());
  REQUIRE_MESSAGE(test::eventually([&] { return registry.log->registration_count() >= 1; }, 30s),
                  agent->output());
  CHECK(registry.log->last_registration().id == "agent-link-many");
  CHECK(test::eventually(
      [&] { return agent->wrote("joined the manager at 127.0.0.1:" + std::to_string(port)); },
      30s));
  check_stops_cleanly(*agent);
  node.stop(registry);
}
