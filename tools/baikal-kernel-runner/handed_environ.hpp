#pragma once

/// A warm container's session environment. A container of an agent's warm pool is started
/// before its session exists, so the session's environment variables cannot be in the
/// container's; the agent writes them into the config directory when it hands the container
/// to a kernel (`environ`: "NAME=VALUE" entries, each ended by a NUL byte, renamed into place
/// whole). The runner adds them to its own environment before it starts the first child after
/// that, so every run and service sees them; a container never handed over has no such file.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baikal::kernel_runner {

/// The entries of an environ file; entries without '=' or with an empty name are skipped, and
/// a last entry without its NUL is taken as it is.
std::vector<std::pair<std::string, std::string>> parse_environ_entries(std::string_view text);

/// Where the file is looked for (options::environ_path); set once at start.
void set_handed_environ_path(std::string path);

/// Before a child starts: takes the file into the environment the first time it is there.
/// Later calls cost nothing.
void adopt_handed_environ();

} // namespace baikal::kernel_runner
