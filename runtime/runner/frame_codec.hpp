#pragma once

/// The kernel runner's wire framing: a 4-byte big-endian length, then that many bytes of UTF-8
/// JSON. Plain C++ (no CAF) because the static runner binary compiles this file too, so both
/// ends share one definition of the wire.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace baikal::runner {

/// Frames above this size are refused: a length this big is a bug or an attack, never a request.
constexpr uint32_t max_frame_size = 16u * 1024u * 1024u;

/// Prefixes `payload` with its 4-byte big-endian length.
std::string encode_frame(std::string_view payload);

/// Reassembles frames from a byte stream that arrives in arbitrary pieces.
///
/// Once a frame announces a length above the limit the decoder stays failed: the stream cannot
/// be resynchronised, so the owner answers an error and closes the connection.
class frame_decoder {
public:
  explicit frame_decoder(uint32_t max_size = max_frame_size) : max_size_(max_size) {}

  /// Appends bytes read from the stream.
  void feed(const char* data, size_t size);

  /// The next complete payload, or nothing when more bytes are needed or the stream failed.
  std::optional<std::string> next();

  /// True after a frame announced a length above the limit.
  bool failed() const noexcept { return failed_; }

  /// The length the offending frame announced (valid when failed()).
  uint32_t rejected_size() const noexcept { return rejected_size_; }

  /// Bytes of a frame not yet complete: non-zero at end of stream means a truncated frame.
  size_t pending_bytes() const noexcept { return buffer_.size() - consumed_; }

private:
  std::string buffer_;
  size_t consumed_ = 0;
  uint32_t max_size_;
  uint32_t rejected_size_ = 0;
  bool failed_ = false;
};

} // namespace baikal::runner
