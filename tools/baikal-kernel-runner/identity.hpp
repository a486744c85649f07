#pragma once

/// The user the kernel's code runs as. The runner starts as root (the container's default) so it
/// can bind its socket in the root-owned config directory, then gives up root for good: the
/// code, its services and the runner itself run as the kernel's uid and gids.

#include <string>
#include <sys/types.h>
#include <vector>

namespace baikal::kernel_runner {

struct identity {
  long long uid = -1; ///< -1: keep the user the runner was started as
  long long gid = -1;
  std::vector<gid_t> groups; ///< supplementary groups
};

/// Parses "1000,1001" into group ids; false on anything else.
bool parse_groups(const std::string& text, std::vector<gid_t>& out);

/// setgroups, setgid, setuid in that order (setuid last: afterwards the others are refused),
/// then, when a uid was given, every capability is dropped, even for uid 0.
/// Returns an error text, empty on success or when nothing was asked.
std::string drop_privileges(const identity& id);

} // namespace baikal::kernel_runner
