#pragma once

/// The agent's local (bridge) networks for single-node multi-kernel sessions.

#include "actors/agent/image_ops.hpp"

namespace baikal {

/// Creates bridge network `name` labelled ai.backend.cluster-network=1. An invalid name is
/// refused before the engine is asked; an existing name is a conflict with Docker's text.
caf::result<ack> create_local_network(agent_pointer self, const std::string& name);

/// Removes network `name`; a missing network is not_found and a network that running
/// containers use is a conflict, both with Docker's text, and the network is left as it was.
caf::result<ack> destroy_local_network(agent_pointer self, const std::string& name);

} // namespace baikal
