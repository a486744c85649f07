#pragma once

/// The network namespaces tests/harness/netns.sh made for the cluster tests (CTest's
/// cluster_netns fixture): one for the manager and one per agent, each with an address on a
/// bridge in the root namespace, and the link of each that a test can cut and restore.

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

namespace baikal::test {

/// A namespace on the bridge: its name, its address and the root side of its veth link.
struct netns_node {
  std::string name;    ///< manager, agent-1, agent-2: what netns.sh cut and restore take
  std::string netns;   ///< for `ip netns exec`
  std::string address; ///< on the bridge, reachable from the root namespace and the others
};

struct cluster_network {
  std::string state_dir; ///< netns.sh's STATE_DIR
  std::string host_address;
  netns_node manager;
  netns_node agent_1;
  netns_node agent_2;

  /// Reads STATE_DIR/env (BAIKAL_NETNS_STATE, else the build's cluster-netns directory).
  static cluster_network load() {
    const char* dir = std::getenv("BAIKAL_NETNS_STATE");
    cluster_network out;
    out.state_dir = dir ? dir : BAIKAL_CLUSTER_NETNS_STATE;
    std::ifstream in{out.state_dir + "/env"};
    if (!in)
      throw std::runtime_error("cannot read " + out.state_dir +
                               "/env: did the cluster_netns_up fixture (netns.sh up) run?");
    std::map<std::string, std::string> values;
    for (std::string line; std::getline(in, line);)
      if (auto eq = line.find('='); eq != std::string::npos)
        values[line.substr(0, eq)] = line.substr(eq + 1);
    auto value = [&](const std::string& key) {
      auto i = values.find("BAIKAL_NETNS_" + key);
      if (i == values.end())
        throw std::runtime_error(out.state_dir + "/env has no BAIKAL_NETNS_" + key);
      return i->second;
    };
    out.host_address = value("HOST_ADDR");
    out.manager = {"manager", value("MANAGER"), value("MANAGER_ADDR")};
    out.agent_1 = {"agent-1", value("AGENT_1"), value("AGENT_1_ADDR")};
    out.agent_2 = {"agent-2", value("AGENT_2"), value("AGENT_2_ADDR")};
    return out;
  }

  /// Takes `node`'s link down on the root side (up again with `up` true); answers success.
  bool set_link(const netns_node& node, bool up) const {
    auto cmd = std::string{BAIKAL_SOURCE_DIR} + "/tests/harness/netns.sh " +
               (up ? "restore " : "cut ") + state_dir + " " + node.name + " 2>&1";
    return std::system(cmd.c_str()) == 0;
  }
};

} // namespace baikal::test
