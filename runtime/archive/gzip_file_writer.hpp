#pragma once

/// Writes a gzip file from chunks as they arrive (a committed image streamed out of Docker),
/// so an export never holds the whole image in memory.

#include <memory>
#include <string>
#include <string_view>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace baikal {

/// A streaming gzip compressor writing to one file. Move-only; the file is closed (without
/// the gzip trailer) when the writer is destroyed before finish().
class gzip_file_writer {
public:
  /// Creates or truncates `path` (mode 0644); `level` as zlib takes it, -1 for its default.
  static caf::expected<gzip_file_writer> create(const std::string& path, int level = -1);

  gzip_file_writer(gzip_file_writer&&) noexcept;
  gzip_file_writer& operator=(gzip_file_writer&&) noexcept;
  ~gzip_file_writer();

  /// Compresses `chunk` and writes whatever output zlib has ready.
  caf::error write(std::string_view chunk);

  /// Writes the rest and the gzip trailer, then fsyncs and closes the file. The writer
  /// accepts nothing afterwards.
  caf::error finish();

  /// Bytes of compressed output written so far.
  uint64_t compressed_size() const noexcept;

private:
  struct state;
  explicit gzip_file_writer(std::unique_ptr<state> s);
  // Heap-allocated because zlib's stream keeps a pointer back to its z_stream: moving the
  // z_stream itself would make deflate() refuse it.
  std::unique_ptr<state> state_;
};

} // namespace baikal
