#pragma once

/// Resolving the paths users name (as the container sees them) to the kernel's work directory
/// on the host, `{scratch_root}/{kernel_id}/work`, which the container mounts as /home/work.
/// The container's user owns that directory and can plant symbolic links in it, so every
/// lookup happens below an open descriptor of the work directory and never follows a link
/// out of it (openat2 with RESOLVE_BENEATH, or an equivalent openat walk).

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "runtime/paths/unique_fd.hpp"

namespace baikal {

/// The container's work directory.
constexpr const char* container_work_dir = "/home/work";

/// What the user was doing; names the verb of the refusal message.
enum class path_access { upload, download, list };

/// How work_dir resolves paths; `walk` exists so tests can exercise the fallback.
enum class resolve_strategy {
  automatic, ///< openat2, falling back to the walk when the kernel lacks it
  walk,      ///< always the component-by-component openat walk
};

/// permission_denied with "You cannot {upload|download|list} files outside /home/work".
caf::error outside_work_dir_error(path_access access);

/// Lexically maps a container path ("/home/work/a", "a" relative to /home/work, ...) to a
/// path relative to /home/work without "." or ".." ("" is /home/work itself);
/// outside_work_dir_error when it leaves /home/work.
caf::expected<std::string> work_relative_path(const std::string& user_path, path_access access);

/// "/home/work/{relative}", the path as error messages show it.
std::string container_path_of(const std::string& relative);

/// `{scratch_root}/{kernel_id}/work`.
std::string host_work_dir(const std::string& scratch_root, const std::string& kernel_id);

/// Who should own what an upload creates: the kernel's user, so the container can change its
/// own files. -1 keeps the agent's own uid or gid.
struct file_owner {
  int64_t uid = -1;
  int64_t gid = -1;
};

/// An open kernel work directory; every operation resolves a user path below it.
/// Errors: outside_work_dir_error for paths or links leading out; runtime_error with the
/// system's text and the container path for anything else ("No such file or directory:
/// /home/work/x").
class work_dir {
public:
  /// Opens the host directory `host_path` (which itself may be reached through links: it is
  /// the agent's own configuration, not the user's).
  static caf::expected<work_dir> open(const std::string& host_path,
                                      resolve_strategy strategy = resolve_strategy::automatic);

  /// Opens a regular file for reading.
  caf::expected<unique_fd> open_file(const std::string& user_path, path_access access) const;

  /// Creates or truncates a regular file for writing, creating missing parent directories
  /// one at a time below the work directory; the file and the directories it made are
  /// given to `owner`.
  caf::expected<unique_fd> create_file(const std::string& user_path, path_access access,
                                       mode_t mode = 0644, file_owner owner = {}) const;

  /// Opens a directory for reading its entries.
  caf::expected<unique_fd> open_directory(const std::string& user_path, path_access access) const;

  /// An O_PATH descriptor of whatever the path names (links inside followed).
  caf::expected<unique_fd> open_path(const std::string& user_path, path_access access) const;

  /// stat(2) of whatever the path names (links inside followed).
  caf::expected<struct stat> stat(const std::string& user_path, path_access access) const;

  /// The descriptor of the work directory itself.
  int fd() const noexcept { return root_.get(); }

private:
  work_dir(unique_fd root, resolve_strategy strategy)
      : root_(std::move(root)), strategy_(strategy) {}

  // Opens an already normalised relative path; returns 0 or an errno.
  int open_relative(const std::string& relative, int flags, mode_t mode, unique_fd& out) const;

  unique_fd root_;
  resolve_strategy strategy_;
};

} // namespace baikal
