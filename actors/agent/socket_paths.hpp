#pragma once

/// The Unix sockets an agent reaches, checked when it starts: the Docker engine's and every
/// kernel's runner socket under the scratch root. Paths longer than sun_path holds are reached
/// through their directory (runtime/paths/socket_path.hpp); what even that cannot reach is
/// refused here, with the reason and the key to change, instead of failing each kernel later.

#include <string>

#include <caf/error.hpp>

#include "actors/agent/agent.hpp"

namespace baikal {

/// invalid_argument naming the socket and the setting when one of the agent's sockets could
/// never be reached; nothing otherwise. `docker_socket` is the engine's socket path as the
/// agent will use it (docker::socket_path_from).
caf::error check_agent_socket_paths(const agent_settings& settings,
                                    const std::string& docker_socket);

} // namespace baikal
