#pragma once

/// Writes a ustar archive into memory. Names longer than ustar holds use its prefix field when
/// they can be split at a '/', else a GNU longname member (as GNU tar and Python read them).
/// The writer enforces a size limit before it appends anything, so an oversized download
/// fails as soon as it is known to be too large instead of after reading everything.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <caf/error.hpp>

#include "runtime/archive/tar_entry.hpp"

namespace baikal {

/// "N MiB" for whole mebibytes, else "N bytes": how size limits read in messages.
std::string size_limit_text(uint64_t bytes);

/// An in-memory tar writer with an optional size limit on the finished archive.
class tar_writer {
public:
  /// `limit` bounds the whole archive including its end-of-archive blocks; exceeding it is
  /// errc::too_large "Too large archive file exceeding {limit}".
  explicit tar_writer(uint64_t limit = std::numeric_limits<uint64_t>::max()) : limit_(limit) {}

  /// Adds a regular file holding `data` (entry.size is taken from it).
  caf::error add_file(tar_entry entry, std::string_view data);

  /// Adds a directory; a trailing '/' is added to its name when missing.
  caf::error add_directory(tar_entry entry);

  /// Adds a symbolic link to entry.linkname.
  caf::error add_symlink(tar_entry entry);

  /// Starts a regular file of entry.size bytes that append_data supplies; checks the limit
  /// for the whole member up front.
  caf::error begin_file(const tar_entry& entry);

  /// Appends file data; bytes beyond the size begin_file announced are dropped.
  void append_data(std::string_view chunk);

  /// Ends the current file, padding with zeros when fewer bytes came than announced (a file
  /// that shrank while being read).
  void end_file();

  /// Appends the end-of-archive blocks and hands out the archive.
  std::string finish();

  /// Bytes written so far.
  uint64_t size() const noexcept { return out_.size(); }

private:
  caf::error write_header(tar_entry entry, uint64_t data_size);
  caf::error reserve(uint64_t bytes) const;

  std::string out_;
  uint64_t limit_;
  uint64_t pending_ = 0; // data bytes still expected for the current file
  uint64_t padding_ = 0; // zero bytes that follow them
};

} // namespace baikal
