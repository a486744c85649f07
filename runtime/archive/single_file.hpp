#pragma once

/// download_single without building its archive: the spec defines the answer as the only member
/// of the tar archive Docker's get_archive would make, limited to 1 MiB. For a regular file
/// that is the file itself, so it is opened once, its archive's size computed from its length
/// and name, and its bytes read in chunks straight from the descriptor. Anything else (a
/// directory, a path that names nothing) gets exactly the errors of download_single_file.

#include <cstdint>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "runtime/archive/work_archive.hpp"
#include "runtime/paths/confined_path.hpp"
#include "runtime/paths/unique_fd.hpp"

namespace baikal {

/// An open regular file and the length fstat saw when it was checked.
struct single_file {
  unique_fd fd;
  uint64_t size = 0;
  std::string shown; ///< "/home/work/...", for messages
};

/// Opens the regular file `user_path` names once its archive fits `limit`; the errors of
/// download_single_file otherwise.
caf::expected<single_file> open_single_file(const work_dir& dir, const std::string& user_path,
                                            uint64_t limit = max_download_archive_size);

/// Up to `max_bytes` from `offset` (fewer at the end of the file, none past it).
caf::expected<std::string> read_file_chunk(const single_file& file, uint64_t offset,
                                           uint64_t max_bytes);

} // namespace baikal
