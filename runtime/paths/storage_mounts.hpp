#pragma once

/// Storage folders on the agent's side: before a kernel binds folders, each mount's source is
/// resolved on the host and must be a directory strictly inside the agent's `[storage] root`
/// (a source the manager names, or a link on the way, cannot reach anything else), and a
/// folder mounted "rw" is given to the kernel's user so its code can write there. Blocking.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/kernel_types.hpp"

namespace baikal {

/// The real path of `source` when it is a directory strictly inside the real path of `root`;
/// invalid_argument naming `field` otherwise (permission_denied for a way out of the root).
caf::expected<std::string> confine_mount_source(const std::string& root, const std::string& source,
                                                const std::string& field);

/// Who a kernel's code runs as, for the folders it may write.
struct mount_owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

/// Every mount with its source confined (replaced by its real path); the top directory of each
/// "rw" folder is given to `owner` (opened to everyone when this agent may not chown). With no
/// storage root (empty `root`) any mount is refused.
caf::expected<std::vector<mount_spec>>
prepare_mounts(const std::string& root, std::vector<mount_spec> mounts, mount_owner owner);

} // namespace baikal
