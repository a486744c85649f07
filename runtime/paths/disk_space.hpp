#pragma once

/// How full the disk under a path is, and how to say that it is full. Kernels' scratch
/// directories and uploads share one disk per agent: a full one must fail with words that say
/// so, not with a half-written file.

#include <cstdint>
#include <optional>
#include <string>

namespace baikal {

/// Bytes an unprivileged writer may still use on the file system holding the open descriptor
/// `fd` (statvfs: f_bavail * f_frsize); none when the system cannot tell.
std::optional<uint64_t> free_bytes_at(int fd);

/// As free_bytes_at, for the file system holding `path` (which must exist).
std::optional<uint64_t> free_bytes_of(const std::string& path);

/// Whether errno `err` means the disk is full (ENOSPC) or the writer's quota is (EDQUOT).
bool is_disk_full(int err);

/// "the disk holding {where} is full ({system text})".
std::string disk_full_text(const std::string& where, int err);

/// `bytes` for people: "512 B", "3.0 MiB".
std::string byte_count_text(uint64_t bytes);

} // namespace baikal
