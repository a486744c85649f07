#pragma once

/// One upload being written into a kernel's work directory (or a folder mounted below it): a
/// temporary file beside the destination, written at given offsets, then flushed and renamed
/// into place. Until then the destination is untouched; an upload dropped before commit
/// removes its temporary file, so a failed or aborted upload leaves nothing behind. Plain
/// blocking file I/O: the kernel actor calls it on its blocking executor.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "runtime/paths/mounted_path.hpp"
#include "runtime/paths/unique_fd.hpp"

namespace baikal {

class file_upload {
public:
  /// Confines `user_path` as accept_file does (the spec's PermissionError for a path outside
  /// /home/work), creates missing parent directories and the temporary file. `expected_size`
  /// (0 when unknown) is refused with too_large at once when the disk has less room.
  static caf::expected<std::unique_ptr<file_upload>>
  open(const file_roots& roots, const std::string& user_path, uint64_t expected_size);

  file_upload(const file_upload&) = delete;
  file_upload& operator=(const file_upload&) = delete;
  /// Removes the temporary file unless the upload was committed.
  ~file_upload();

  /// Writes `data` at `offset` of the temporary file; safe from several threads at once for
  /// ranges that do not overlap.
  caf::error write_at(uint64_t offset, std::string_view data) const;

  /// Flushes the file and renames it over the destination; false for a second call.
  caf::error commit();

  /// The destination as the user sees it ("/home/work/a.txt"), for messages.
  const std::string& shown() const noexcept { return shown_; }

private:
  file_upload(unique_fd parent, unique_fd file, std::string temp, std::string name,
              std::string shown)
      : parent_(std::move(parent)), file_(std::move(file)), temp_(std::move(temp)),
        name_(std::move(name)), shown_(std::move(shown)) {}

  unique_fd parent_; ///< the destination's directory
  unique_fd file_;   ///< the temporary file
  std::string temp_; ///< its name in parent_
  std::string name_; ///< the destination's name in parent_
  std::string shown_;
  bool committed_ = false;
};

/// accept_file: the whole of `data` through a file_upload.
caf::error write_whole_upload(const file_roots& roots, const std::string& user_path,
                              std::string_view data);

} // namespace baikal
