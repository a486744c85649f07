#pragma once

/// The manager's side of agents joining: its agent registry offered to agent nodes, plain or
/// TLS, on the address the manager's config names.

#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "messages/manager_interface.hpp"
#include "runtime/cluster/node.hpp"

namespace baikal::cluster {

/// Where a node listens for other nodes and with which TLS material.
struct node_settings {
  host_port listen{"127.0.0.1", 6100}; ///< port 0 picks one
  tls_settings tls;                    ///< empty: plain TCP
};

/// Publishes `registry` so that agents (baikal-agent --manager HOST:PORT) can join; answers
/// the bound port. The actor system must have been set up with configure_node(cfg,
/// settings.tls) after validate_tls(settings.tls). Blocking: call it from main.
caf::expected<uint16_t> publish_registry(caf::actor_system& sys,
                                         const agent_registry_actor& registry,
                                         const node_settings& settings);

} // namespace baikal::cluster
