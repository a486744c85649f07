#pragma once

/// Recovery after a crash or kill -9: the agent's kernels are the containers that carry its
/// labels (ai.backend.agent-id), checked against the registry file (registry_file.hpp). Running
/// ones are served again, with what the file kept of them (resource slots); stopped ones are
/// removed with their scratch directories; kernels of the file whose containers are gone lose
/// their scratch directories too. Runs before the agent joins the manager.

#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/agent/agent.hpp"
#include "messages/docker_interface.hpp"

namespace baikal {

/// A container of this agent as the engine lists it.
struct labelled_container {
  std::string id;
  std::string state;  ///< "running", "exited", ...
  std::string status; ///< the engine's words: "Exited (137) 5 seconds ago", "Up 2 minutes"
  kernel_id kernel;
  session_id session;
  std::string service_ports; ///< the service-ports label, as encoded at creation
};

/// The engine's answer to GET /containers/json, reduced to Baikal kernels.
std::vector<labelled_container> parse_kernel_containers(const std::string& body);

/// The request that lists every container (running or not) labelled with `agent`.
docker_call list_agent_containers(const agent_id& agent);

/// Blocking (call it before the agent is spawned, never on an actor thread): asks the engine
/// for this agent's containers, removes the stopped ones and their scratch directories, and
/// answers the kernels to serve again.
std::vector<kernel_info> recover_kernels(caf::actor_system& sys, const agent_settings& settings,
                                         const docker_actor& docker);

} // namespace baikal
