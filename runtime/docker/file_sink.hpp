#pragma once

/// Writes a streamed body (an image export, an archive) straight to a file on the engine's
/// thread, optionally gzip-compressed, so big bodies never travel through actor mailboxes.

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <caf/error.hpp>

namespace baikal::docker {

class file_sink {
public:
  /// Opens (truncates) `path`; `gzip` compresses with zlib at the fastest level.
  file_sink(std::string path, bool gzip);
  ~file_sink();

  file_sink(const file_sink&) = delete;
  file_sink& operator=(const file_sink&) = delete;

  /// Appends `data`; after the first failure further writes are ignored.
  void write(std::string_view data);

  /// Flushes and closes; the first error (open, write, compress, close), if any.
  caf::error finish();

private:
  struct gzip_state;

  void fail(const std::string& why);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<gzip_state> gz_;
  caf::error error_;
};

} // namespace baikal::docker
