#pragma once

/// download_file and download_single on the host side: archive what a user path names inside
/// a kernel's work directory, the way Docker's get_archive would, without leaving it.

#include <cstdint>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "runtime/paths/confined_path.hpp"

namespace baikal {

/// The largest archive download_file and download_single hand out (the spec's 1 MiB),
/// end-of-archive blocks included, as the reference measures the archive's whole length.
constexpr uint64_t max_download_archive_size = 1048576;

/// How deep archive_work_path descends; a hostile tree could otherwise exhaust descriptors.
constexpr int max_archive_depth = 128;

/// A tar archive of `user_path`: a file is one member named by its basename; a directory is
/// its basename followed by everything below it ("/home/work" itself is "work/"). Links below
/// a directory are stored as links, never followed; sockets, FIFOs and devices are left out.
/// Fails with errc::too_large "Too large archive file exceeding 1 MiB" as soon as the
/// archive would grow past `limit`, and with the errors of work_dir for the path itself.
caf::expected<std::string> archive_work_path(const work_dir& dir, const std::string& user_path,
                                             uint64_t limit = max_download_archive_size);

/// The content of the only member of `archive`: invalid_argument "Expected a single-file
/// archive but found multiple files from {user_path}" when there are more, and
/// invalid_argument when the member is not a regular file or the archive is malformed.
caf::expected<std::string> extract_single_file(std::string_view archive,
                                               const std::string& user_path);

/// download_single: archive_work_path then extract_single_file, as the reference does it.
caf::expected<std::string> download_single_file(const work_dir& dir, const std::string& user_path,
                                                uint64_t limit = max_download_archive_size);

} // namespace baikal
