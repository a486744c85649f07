#pragma once

/// The kernel registry file, `{var-base-path}/last_registry.{agent id}.dat`: what the agent
/// serves, kept on disk so that an agent started after a crash or kill -9 knows which kernels
/// it had. One JSON object:
///
///   {"agent": "agent-1",
///    "kernels": [{"kernel": ID, "session": ID, "container": ID,
///                 "slots": {"cpu": 1, "mem": 134217728},
///                 "service_ports": "httpd:http:8080:30001",
///                 "mounts": [[SOURCE, "/home/work/NAME", "rw"]]}]}
///
/// Written atomically (temp file, fsync, rename) whenever the registry changes and at shutdown.

#include <map>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/agent/agent.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

std::string registry_file_path(const agent_settings& settings);

std::string encode_registry_file(const agent_id& agent, const std::vector<kernel_info>& kernels);

/// The kernels of a registry file by id; invalid_argument naming the problem when the text is
/// not one (a file cut short by a crash is reported, never half-read).
caf::expected<std::map<kernel_id, kernel_info>> decode_registry_file(const std::string& text);

} // namespace baikal
