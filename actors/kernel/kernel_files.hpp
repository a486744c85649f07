#pragma once

/// The kernel's file operations on the agent's side of its work directory
/// ({scratch_root}/{kernel_id}/work, the container's /home/work) and of the storage folders
/// mounted below it (/home/work/NAME). They block on file I/O, so the kernel actor runs them
/// on detached workers. Every user path is routed to the directory holding it and confined
/// there (runtime/paths/mounted_path.hpp): nothing outside is ever read or written.

#include <string>

#include <caf/expected.hpp>

#include "messages/execution_types.hpp"
#include "messages/kernel_interface.hpp"
#include "runtime/paths/mounted_path.hpp"

namespace baikal {

/// Writes `data` to `user_path`, creating parent directories.
caf::expected<ack> accept_file_in(const file_roots& roots, const std::string& user_path,
                                  const std::string& data);

/// A tar archive of `user_path` (at most 1 MiB).
caf::expected<file_bytes> download_file_from(const file_roots& roots, const std::string& user_path);

/// The bytes of the single file `user_path` names.
caf::expected<file_bytes> download_single_from(const file_roots& roots,
                                               const std::string& user_path);

/// The entries of directory `user_path`.
caf::expected<file_listing> list_files_in(const file_roots& roots, const std::string& user_path);

} // namespace baikal
