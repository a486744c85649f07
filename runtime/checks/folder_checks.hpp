#pragma once

/// Checks of storage folder names and of the mounts that bind folders into kernels, shared by
/// the manager's API (what users send) and the agent (what the manager sends): both refuse the
/// same things with the same words. A folder NAME is mounted at /home/work/NAME.

#include <cstddef>
#include <string>
#include <string_view>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/kernel_types.hpp"

namespace baikal::checks {

/// The longest folder name.
constexpr size_t max_folder_name_length = 64;

/// The most folders one session mounts.
constexpr size_t max_session_mounts = 16;

/// A folder name, like a file name: 1 to 64 letters, digits, '-', '_' or '.', not starting
/// with '.' (so never "." or "..", nor a hidden file).
caf::error check_folder_name(const std::string& field, std::string_view name);

/// "rw" or "ro".
caf::error check_mount_mode(const std::string& field, std::string_view mode);

/// Where folder `name` appears inside a kernel: /home/work/{name}.
std::string mount_target_of(const std::string& name);

/// The folder name of a mount target "/home/work/NAME" (NAME a valid folder name), or
/// invalid_argument naming `field`.
caf::expected<std::string> folder_of_mount_target(const std::string& field,
                                                  const std::string& target);

/// One mount as an agent takes it: target /home/work/NAME, mode "rw" or "ro", an absolute
/// source without NUL. Where the source leads is checked on the host (storage_mounts.hpp).
caf::error check_mount(const std::string& field, const mount_spec& m);

} // namespace baikal::checks
