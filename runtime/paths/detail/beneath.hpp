#pragma once

/// The low-level half of confined path resolution: open a relative path below a directory
/// descriptor without ever leaving it, reporting plain errno values. confined_path.hpp turns
/// those into Baikal errors with a person's message.

#include <sys/types.h>

#include <deque>
#include <string>

#include "runtime/paths/unique_fd.hpp"

namespace baikal::detail {

/// Which mechanism open_beneath uses.
enum class beneath_mode {
  openat2, ///< the kernel's openat2(RESOLVE_BENEATH); falls back to walk on ENOSYS
  walk,    ///< our own component-by-component openat walk with O_NOFOLLOW
};

/// Opens `relative` (no leading '/'; "" means `root` itself) below `root` with `flags` and
/// `mode` as openat(2) takes them. Symbolic links are followed only while they stay below
/// `root`: an absolute link target, or one whose ".." climbs above `root`, fails with EXDEV,
/// as does a ".." in `relative` itself. Magic links (/proc) are never followed.
/// Returns 0 and sets `out`, or the errno of the failure.
int open_beneath(int root, const std::string& relative, int flags, mode_t mode, unique_fd& out,
                 beneath_mode how);

/// The non-empty components of a '/'-separated path ("a//b/" gives "a", "b").
std::deque<std::string> split_components(const std::string& path);

/// errno's text, thread-safe.
std::string errno_text(int err);

/// Whether `err` says the path names nothing (ENOENT, or ENOTDIR for a file used as a directory).
bool is_missing(int err);

} // namespace baikal::detail
