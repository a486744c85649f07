// Launcher scenarios SC-LA-009..013: network set-up by network type and cluster mode.

#include "support/launcher_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

std::vector<kernel_binding> three_kernels(const agent_id& a, const agent_id& b, const agent_id& c) {
  return {make_kernel("k1", a, cluster_role::main, 1), make_kernel("k2", b, cluster_role::sub, 1),
          make_kernel("k3", c, cluster_role::sub, 2)};
}

} // namespace

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-009 volatile network for single node multi-kernel") {
  add_agent("a1");
  auto session = make_session("s1", three_kernels("a1", "a1", "a1"), cluster_mode::single_node,
                              network_type::volatile_);
  CHECK(launch_one(session).error == "");
  CHECK(rec->agent("a1").local_networks == std::vector<std::string>{"bai-singlenode-s1"});
  auto network = only_create("a1").cluster.network;
  CHECK(network.mode == "bridge");
  CHECK(network.network_name.rfind("bai-singlenode-", 0) == 0);
  CHECK(rec->network_ids() == recorder::session_value{{"s1", "bai-singlenode-s1"}});
  CHECK(rec->plugin_calls().empty());
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-010 volatile network for multi-node overlay") {
  config.default_network_driver = "overlay";
  for (auto a : {"a1", "a2", "a3"})
    add_agent(a);
  add_plugin("overlay", [](const std::string&) -> caf::expected<network_info> {
    return network_info{"overlay-123", {{"scope", "swarm"}}};
  });
  auto session = make_session("s1", three_kernels("a1", "a2", "a3"), cluster_mode::multi_node);
  CHECK(launch_one(session).error == "");
  CHECK(rec->plugin_calls() == std::vector<std::string>{"s1"});
  for (auto a : {"a1", "a2", "a3"}) {
    auto network = only_create(a).cluster.network;
    CHECK(network.network_name == "overlay-123");
    CHECK(network.mode == "overlay");
    CHECK(network.options.at("scope") == "swarm");
  }
  CHECK(rec->network_ids() == recorder::session_value{{"s1", "overlay-123"}});
  for (auto a : {"a1", "a2", "a3"})
    CHECK(rec->agent(a).local_networks.empty());
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-011 host network with ssh port mapping") {
  add_agent("a1");
  add_agent("a2");
  auto session = make_session("s1", three_kernels("a1", "a1", "a2"), cluster_mode::multi_node,
                              network_type::host);
  CHECK(launch_one(session).error == "");
  CHECK(rec->agent("a1").assign_ports == 2); // one per kernel, on the kernel's own agent
  CHECK(rec->agent("a2").assign_ports == 1);
  auto cluster = only_create("a1").cluster;
  CHECK(cluster.network.mode == "host");
  // keyed by each kernel's cluster hostname: what the agent looks its port up by
  REQUIRE(cluster.ssh_port_mapping.size() == 3);
  CHECK(cluster.ssh_port_mapping.at("main1").host == "10.0.0.1");
  CHECK(cluster.ssh_port_mapping.at("main1").port == 12345);
  CHECK(cluster.ssh_port_mapping.at("sub1").host == "10.0.0.1");
  CHECK(cluster.ssh_port_mapping.at("sub2").host == "10.0.0.2");
  CHECK(cluster.ssh_port_mapping.at("sub2").port == 12345);
  CHECK(only_create("a2").cluster.ssh_port_mapping.size() == 3);
  CHECK(rec->plugin_calls().empty());
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-012 persistent network lookup") {
  add_agent("a1");
  add_plugin("overlay", [](const std::string&) -> caf::expected<network_info> {
    return network_info{"never", {}};
  });
  auto session = make_session("s1", three_kernels("a1", "a1", "a1"), cluster_mode::single_node,
                              network_type::persistent);
  session.network_id = "n1";
  CHECK(launch_one(session).error == "");
  CHECK(only_create("a1").cluster.network.network_name == "persistent-n1");
  CHECK(rec->network_ids() == recorder::session_value{{"s1", "persistent-n1"}});
  // nothing created: no agent network, no plugin network, no ports
  CHECK(rec->agent("a1").local_networks.empty());
  CHECK(rec->agent("a1").assign_ports == 0);
  CHECK(rec->plugin_calls().empty());
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-013 no network plugin error") {
  config.default_network_driver = "weave";
  add_agent("a1");
  add_agent("a2");
  auto session =
      make_session("s1", {make_kernel("k1", "a1"), make_kernel("k2", "a2", cluster_role::sub, 1)},
                   cluster_mode::multi_node);
  auto o = launch_one(session);
  CHECK(o.error == "not_found");
  CHECK(o.message.find("'weave'") != std::string::npos);
  CHECK(o.message.find("Available plugins: []") != std::string::npos);
  CHECK(rec->agent("a1").creates.empty());
  CHECK(rec->agent("a2").creates.empty());
  auto infos = rec->error_infos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].second.find("KeyError") != std::string::npos);
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-013 the error lists the plugins that exist") {
  config.default_network_driver = "weave";
  add_agent("a1");
  add_plugin("overlay", [](const std::string&) -> caf::expected<network_info> {
    return network_info{"overlay-1", {}};
  });
  auto session = make_session("s1", {make_kernel("k1", "a1")}, cluster_mode::multi_node);
  auto o = launch_one(session);
  CHECK(o.error == "not_found");
  CHECK(o.message.find("Available plugins: ['overlay']") != std::string::npos);
  CHECK(rec->plugin_calls().empty());
}

TEST_CASE_FIXTURE(launcher_fixture,
                  "launcher: a failing local network creation is an agent error") {
  agent_script failing;
  failing.network_error = make_error(errc::agent_error, "network exists");
  add_agent("a1", failing);
  auto o = launch_one(make_session("s1", three_kernels("a1", "a1", "a1")));
  CHECK(o.error == "agent_error");
  CHECK(rec->agent("a1").creates.empty());
  REQUIRE(rec->error_infos().size() == 1);
  CHECK(rec->error_infos()[0].second.find(R"("agent_id":"a1")") != std::string::npos);
}
