#pragma once

/// Reads tar archives held in memory: ustar, GNU (long names, base-256 numbers) and pax
/// (path, linkpath, size, mtime, uid, gid) as Docker's get_archive may produce them.
/// Every field is checked against the bytes present, so hostile or truncated input yields
/// errc::invalid_argument "malformed archive: ..." rather than reading past the end.

#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "runtime/archive/tar_entry.hpp"

namespace baikal {

/// Iterates over the members of an archive; extension members are applied, not returned.
class tar_reader {
public:
  explicit tar_reader(std::string_view archive) : in_(archive) {}

  /// Reads the next member into `out`; false at the end of the archive.
  caf::expected<bool> next(tar_entry& out);

private:
  std::string_view in_;
  size_t pos_ = 0;
  bool done_ = false;
};

/// All members of `archive`.
caf::expected<std::vector<tar_entry>> read_tar(std::string_view archive);

} // namespace baikal
