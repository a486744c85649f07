#pragma once

/// File operations see a kernel's files as its container does: /home/work is the kernel's work
/// directory, except below /home/work/NAME where a storage folder NAME is mounted, which is
/// that folder on the host. A user path is routed to one of those host directories and then
/// resolved below it (confined_path.hpp), so a link planted in a folder cannot reach outside
/// that folder, and one in the work directory cannot reach into a folder by the host's path.

#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "messages/kernel_types.hpp"
#include "runtime/paths/confined_path.hpp"

namespace baikal {

/// Where a kernel's files are on the host.
/// Implicit from the work directory alone: a kernel without mounts.
struct file_roots {
  // NOLINTNEXTLINE(google-explicit-constructor)
  file_roots(std::string work_dir, std::vector<mount_spec> mounted = {})
      : work(std::move(work_dir)), mounts(std::move(mounted)) {}

  std::string work;               ///< the host directory that is /home/work
  std::vector<mount_spec> mounts; ///< the host directories at /home/work/NAME (targets)
};

/// A user path routed to the host directory holding it.
struct routed_path {
  std::string host_root; ///< open this as the work_dir
  std::string user_path; ///< and resolve this below it ("/home/work/..." relative to host_root)
};

/// Routes `user_path` (as the container names it): below a mount's target to the mount's
/// source with the rest of the path, else to the work directory unchanged. Paths out of
/// /home/work answer outside_work_dir_error; an upload below a read-only mount answers
/// permission_denied "/home/work/NAME is mounted read-only".
caf::expected<routed_path> route_user_path(const file_roots& roots, const std::string& user_path,
                                           path_access access);

/// A user path routed, and the host directory holding it opened: where every file operation on
/// a kernel starts.
struct opened_user_path {
  work_dir dir;
  std::string user_path; ///< resolve this below `dir`
};

/// route_user_path, then work_dir::open of its host root; their errors as they are.
caf::expected<opened_user_path> open_user_path(const file_roots& roots,
                                               const std::string& user_path, path_access access);

} // namespace baikal
