// Kernels are kept apart on the network. Kernels of different sessions cannot connect to each
// other (single-kernel sessions share the agent's kernel network, where the engine drops traffic
// between containers; a multi-kernel session has a bridge of its own), while the kernels of one
// session can. A kernel's published service port stays reachable from the host, but no kernel
// gets through the host to it, nor to anything else listening on the host: not the agent's
// port, not the manager's.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <caf/scoped_actor.hpp>

#include "actors/manager/http/http_api.hpp"
#include "runtime/cluster/registry_endpoint.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/networks.hpp"
#include "runtime/firewall/host_fence.hpp"
#include "support/agent_fixture.hpp"
#include "support/api_cluster_fixture.hpp"
#include "support/kernel_probes.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

constexpr const char* get_index = R"(printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 3 )";

/// Runs `code` in one kernel through `agent`, following "continued" answers; its stdout.
std::string run_in(caf::actor_system& sys, const agent_actor& agent, const session_id& session,
                   const kernel_id& kernel, const std::string& code) {
  caf::scoped_actor self{sys};
  std::string out;
  op::execute req{session, kernel, 4, "", execution_mode::query, code, {}, 10.0};
  for (int round = 0; round < 30; ++round) {
    caf::expected<execution_result> res{caf::error{}};
    self->request(agent, std::chrono::seconds(60), req)
        .receive([&](execution_result& r) { res = std::move(r); },
                 [&](caf::error& e) { res = std::move(e); });
    REQUIRE_MESSAGE(res, why(res));
    out += agent_fixture::stdout_of(*res);
    if (res->status != "continued")
      break;
    req.mode = execution_mode::continue_;
    req.run_id = res->run_id;
  }
  return out;
}

struct shown_kernel {
  std::string id;
  std::string role;
  std::string hostname;
  std::string container_id;
};

/// The session's kernels as its owner sees them in the API.
std::vector<shown_kernel> kernels_of(const api_client& who, const std::string& session) {
  auto shown = who.get("/v1/sessions/" + session);
  REQUIRE_MESSAGE(shown.status == 200, shown.body);
  std::vector<shown_kernel> out;
  for (auto& k : shown.json["kernels"].GetArray())
    out.push_back({k["id"].GetString(), k["role"].GetString(), k["hostname"].GetString(),
                   k["container_id"].GetString()});
  return out;
}

/// Output and exit code of a shell command.
std::pair<std::string, int> shell(const std::string& command) {
  std::string out;
  int status = -1;
  if (auto* p = ::popen((command + " 2>&1").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    status = ::pclose(p);
  }
  return {out, status};
}

/// Whether the host holds every rule of Baikal's fence for `device`.
bool is_fenced(const std::string& device) {
  for (auto& rule : firewall::fence_rules(device)) {
    auto command = "iptables -w 10 -C " + rule.chain;
    for (auto& word : rule.args)
      command += " '" + word + "'";
    if (shell(command).second != 0)
      return false;
  }
  return true;
}

/// Whether the host holds no rule of Baikal's fence for `device`.
bool is_unfenced(const std::string& device) {
  auto [listing, status] = shell("iptables -w 10 -S");
  auto devices = firewall::fenced_devices(listing);
  return status == 0 && std::find(devices.begin(), devices.end(), device) == devices.end();
}

std::string inspect(caf::actor_system& sys, const docker_actor& docker, const docker_call& call) {
  caf::scoped_actor self{sys};
  std::string body;
  self->request(docker, std::chrono::seconds(60), call)
      .receive([&](docker_reply& r) { body = std::move(r.body); },
               [&](caf::error& e) { FAIL("engine call failed: " << message_of(e)); });
  return body;
}

/// A session of `who` running `image` with `extra` fields; answers its id once RUNNING.
std::string running_session(api_cluster_fixture& f, const api_client& who,
                            const std::string& extra = "") {
  auto created =
      who.post("/v1/sessions", R"({"image":")" + f.image +
                                   R"(","resources":{"cpu":0.5,"mem":134217728})" + extra + "}");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(f.wait_status(who, id, "RUNNING") == "RUNNING");
  return id;
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "isolation: kernels of different sessions cannot connect to each other, "
                  "kernels of one session can") {
  auto agent_id = add_agent();
  REQUIRE(agent_alive(agent_id));
  auto& agent = agents.front();

  // alice serves a page from her single-kernel session.
  auto served = running_session(*this, alice);
  auto served_kernel = kernels_of(alice, served).at(0);
  auto up = alice.call("PUT", "/v1/sessions/" + served + "/files?path=index.html",
                       "secret-of-alice\n", "application/octet-stream");
  REQUIRE_MESSAGE(up.status == 200, up.body);
  auto started = alice.post("/v1/sessions/" + served + "/services/httpd");
  REQUIRE_MESSAGE(started.status == 200, started.body);
  auto on = network_of_container(
      inspect(*sys, agent.docker, docker::container_inspect(served_kernel.container_id)));
  CHECK(on.name == "bai-kernels");
  auto address = on.address;
  REQUIRE(!address.empty());
  // The page is there: the host reaches it.
  CHECK(eventually([&] {
    return http_get(address, 8080, "/index.html").find("secret-of-alice") != std::string::npos;
  }));

  // Two kernels of one session reach each other by their cluster hostnames.
  auto pair = running_session(*this, alice, R"(,"cluster_mode":"single-node","cluster_size":2)");
  auto pair_kernels = kernels_of(alice, pair);
  REQUIRE(pair_kernels.size() == 2);
  auto& server = pair_kernels[0].role == "main" ? pair_kernels[1] : pair_kernels[0];
  auto& client = pair_kernels[0].role == "main" ? pair_kernels[0] : pair_kernels[1];
  run_in(*sys, agent.agent, pair, server.id,
         "echo hello-sibling > /home/work/index.html && httpd -p 8080 -h /home/work");
  std::string from_sibling;
  CHECK(eventually([&] {
    from_sibling = run_in(*sys, agent.agent, pair, client.id,
                          std::string{get_index} + server.hostname + " 8080");
    return from_sibling.find("hello-sibling") != std::string::npos;
  }));
  CHECK_MESSAGE(from_sibling.find("hello-sibling") != std::string::npos, from_sibling);
  auto server_on = network_of_container(
      inspect(*sys, agent.docker, docker::container_inspect(server.container_id)));
  CHECK(server_on.name != on.name);
  REQUIRE(!server_on.address.empty());
  CHECK(eventually([&] {
    return http_get(server_on.address, 8080, "/index.html").find("hello-sibling") !=
           std::string::npos;
  }));

  // bob's kernel, on the same agent and on the same network as alice's first kernel, reaches
  // neither that one nor the kernel of alice's session with a network of its own.
  auto other = running_session(*this, bob);
  auto other_kernel = kernels_of(bob, other).at(0);
  for (auto& target : {address, server_on.address}) {
    auto from_bob = run_in(*sys, agent.agent, other, other_kernel.id,
                           std::string{get_index} + target + " 8080; echo \"nc: $?\"");
    CHECK_MESSAGE(from_bob.find("secret-of-alice") == std::string::npos,
                  target << ": " << from_bob);
    CHECK_MESSAGE(from_bob.find("hello-sibling") == std::string::npos, target << ": " << from_bob);
    CHECK_MESSAGE(from_bob.find("nc: 1") != std::string::npos, target << ": " << from_bob);
  }

  for (auto& [who, id] : {std::pair{&alice, served}, {&bob, other}, {&alice, pair}}) {
    who->del("/v1/sessions/" + id);
    wait_status(*who, id, "TERMINATED");
  }
}

TEST_CASE_FIXTURE(agent_fixture,
                  "isolation: a kernel's published service port is reachable from the host, "
                  "not from another session's kernel") {
  auto server_id = "k-published-" + unique_suffix();
  auto server = create_test_kernel(server_id);
  REQUIRE_MESSAGE(server, why(server));
  REQUIRE(ask<ack>(op::accept_file{server_id, "/home/work/index.html", "published-page\n"}));
  auto started = ask<service_result>(op::start_service{server_id, "httpd", {}});
  REQUIRE_MESSAGE(started, why(started));
  auto host_port = static_cast<uint16_t>(std::stoi(started->info["host_port"]));
  auto inspected = engine(docker::container_inspect(server->container_id));
  REQUIRE_MESSAGE(inspected, why(inspected));
  auto on = network_of_container(inspected->body);
  REQUIRE(!on.name.empty());
  auto net_inspected = engine(docker::network_inspect(on.name));
  REQUIRE_MESSAGE(net_inspected, why(net_inspected));
  auto net = docker::parse_network_info(net_inspected->body);
  REQUIRE(net);
  REQUIRE(!net->gateway.empty());
  // The host as kernels see it: its address on their bridge, and the one it has outside.
  std::vector<std::string> host_addresses{net->gateway};
  if (auto outside = host_outside_address(); !outside.empty() && outside != net->gateway)
    host_addresses.push_back(outside);

  // From the host: on loopback and on each of those addresses.
  auto from_host = host_addresses;
  from_host.insert(from_host.begin(), "127.0.0.1");
  for (auto& address : from_host) {
    std::string page;
    CHECK_MESSAGE(eventually([&] {
                    page = http_get(address, host_port, "/index.html");
                    return page.find("published-page") != std::string::npos;
                  }),
                  address << ": " << page);
  }

  // Other sessions' kernels ask the host for the same port and are refused: one on the same
  // kernel network, one on a network of its own (where the engine would forward the port).
  auto client_id = "k-published-client-" + unique_suffix();
  REQUIRE(create_test_kernel(client_id));
  auto network = "bai-singlenode-published-" + unique_suffix();
  REQUIRE(ask<ack>(op::create_local_network{network}));
  auto apart_id = "k-published-apart-" + unique_suffix();
  cluster_info apart_cluster;
  apart_cluster.network = {"bridge", network, {}};
  auto apart =
      ask<created_kernels>(op::create_kernels{"session-" + apart_id,
                                              {apart_id},
                                              {test_kernel_config(apart_id, "session-" + apart_id)},
                                              apart_cluster,
                                              {}});
  REQUIRE_MESSAGE(apart, why(apart));
  for (auto& client : {client_id, apart_id})
    for (auto& address : host_addresses) {
      auto res = run(client, std::string{get_index} + address + " " + std::to_string(host_port) +
                                 "; echo \"nc: $?\"");
      REQUIRE_MESSAGE(res, why(res));
      auto out = stdout_of(*res);
      CHECK_MESSAGE(out.find("published-page") == std::string::npos,
                    client << " to " << address << ": " << out);
      CHECK_MESSAGE(out.find("nc: 1") != std::string::npos,
                    client << " to " << address << ": " << out);
    }
  CHECK(destroy(apart_id));
  CHECK(ask<ack>(op::destroy_local_network{network}));
  CHECK(destroy(client_id));
  CHECK(destroy(server_id));
}

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "isolation: a kernel cannot connect to the agent's or the manager's ports on "
                  "its host") {
  auto agent_id = add_agent();
  REQUIRE(agent_alive(agent_id));
  auto& agent = agents.front();
  // The agent's and the manager's ports on every address of the host, as a deployment that
  // listens on 0.0.0.0 has them.
  auto agent_port = cluster::publish(*sys, agent.agent, host_port{"0.0.0.0", 0}, {});
  REQUIRE_MESSAGE(agent_port, why(agent_port));
  auto registry_port = cluster::publish_registry(*sys, m.registry, {{"0.0.0.0", 0}, {}});
  REQUIRE_MESSAGE(registry_port, why(registry_port));
  api_settings as;
  as.host = "0.0.0.0";
  as.port = 0;
  http_api open_api{*sys, m.front, as};
  auto api_port = open_api.start();
  REQUIRE_MESSAGE(api_port, why(api_port));
  std::vector<uint16_t> ports{*agent_port, *registry_port, *api_port};

  auto session = running_session(*this, alice);
  auto kernel = kernels_of(alice, session).at(0);
  auto on = network_of_container(
      inspect(*sys, agent.docker, docker::container_inspect(kernel.container_id)));
  auto net =
      docker::parse_network_info(inspect(*sys, agent.docker, docker::network_inspect(on.name)));
  REQUIRE(net);
  // The host as its kernels see it (the bridge's gateway) and as the network does.
  std::vector<std::string> addresses{net->gateway};
  if (auto outside = host_outside_address(); !outside.empty() && outside != net->gateway)
    addresses.push_back(outside);

  // The probe does see an open port: one the kernel listens on itself.
  std::string probes = "httpd -p 127.0.0.1:9090 -h /tmp; nc -w 3 127.0.0.1 9090 -e true && "
                       "echo \"reached its own listener\"; ";
  for (auto& address : addresses)
    for (auto port : ports) {
      // Each port does listen there: the host itself connects.
      CHECK_MESSAGE(accepts_connections(address, port), address << ":" << port);
      auto target = address + " " + std::to_string(port);
      probes += "nc -w 3 " + target + " -e true && echo \"open " + target + "\"; ";
    }
  auto out = run_in(*sys, agent.agent, session, kernel.id, probes + "echo probed");
  CHECK_MESSAGE(out.find("reached its own listener\n") != std::string::npos, out);
  CHECK_MESSAGE(out.find("probed") != std::string::npos, out);
  CHECK_MESSAGE(out.find("open ") == std::string::npos, out);

  open_api.stop();
  alice.del("/v1/sessions/" + session);
  wait_status(alice, session, "TERMINATED");
}

TEST_CASE_FIXTURE(agent_fixture,
                  "isolation: a local network's bridge is fenced while it has kernels, and the "
                  "fence goes with the network") {
  auto network = "bai-singlenode-fence-" + unique_suffix();
  REQUIRE(ask<ack>(op::create_local_network{network}));
  auto net = docker::parse_network_info(engine(docker::network_inspect(network))->body);
  REQUIRE(net);
  auto device = docker::bridge_device_of(*net);

  auto id = "k-fenced-" + unique_suffix();
  auto session = "session-" + id;
  cluster_info cluster;
  cluster.network = {"bridge", network, {}};
  auto created = ask<created_kernels>(
      op::create_kernels{session, {id}, {test_kernel_config(id, session)}, cluster, {}});
  REQUIRE_MESSAGE(created, why(created));
  CHECK(is_fenced(device));

  REQUIRE(destroy(id));
  REQUIRE(ask<ack>(op::destroy_local_network{network}));
  CHECK(eventually([&] { return is_unfenced(device); }));
}
