#include "runtime/runner/frame_codec.hpp"

namespace baikal::runner {

std::string encode_frame(std::string_view payload) {
  auto n = static_cast<uint32_t>(payload.size());
  std::string out;
  out.reserve(4 + payload.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(payload);
  return out;
}

void frame_decoder::feed(const char* data, size_t size) {
  if (failed_)
    return;
  // Drop consumed bytes lazily so a burst of small frames does not shift the buffer each time.
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(data, size);
}

std::optional<std::string> frame_decoder::next() {
  if (failed_ || pending_bytes() < 4)
    return std::nullopt;
  auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(buffer_[consumed_ + i]));
  };
  uint32_t n = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  if (n > max_size_) {
    failed_ = true;
    rejected_size_ = n;
    buffer_.clear();
    consumed_ = 0;
    return std::nullopt;
  }
  if (pending_bytes() < 4 + static_cast<size_t>(n))
    return std::nullopt;
  std::string payload = buffer_.substr(consumed_ + 4, n);
  consumed_ += 4 + n;
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  }
  return payload;
}

} // namespace baikal::runner
