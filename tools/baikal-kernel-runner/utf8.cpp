#include "utf8.hpp"

namespace baikal::kernel_runner {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";

// Length of the sequence a lead byte starts, 0 if it cannot start one.
size_t sequence_length(unsigned char c) {
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return 2;
  if (c >= 0xE0 && c <= 0xEF)
    return 3;
  if (c >= 0xF0 && c <= 0xF4)
    return 4;
  return 0;
}

// Whether s[i..i+len) is a well-formed sequence (no overlongs, surrogates or > U+10FFFF).
bool well_formed(const std::string& s, size_t i, size_t len) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  for (size_t k = 1; k < len; ++k)
    if ((b(k) & 0xC0) != 0x80)
      return false;
  if (len == 3 && ((b(0) == 0xE0 && b(1) < 0xA0) || (b(0) == 0xED && b(1) > 0x9F)))
    return false;
  if (len == 4 && ((b(0) == 0xF0 && b(1) < 0x90) || (b(0) == 0xF4 && b(1) > 0x8F)))
    return false;
  return true;
}

} // namespace

std::string utf8_stream::feed(std::string_view bytes) {
  std::string in = std::move(carry_);
  carry_.clear();
  in.append(bytes);
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    size_t len = sequence_length(static_cast<unsigned char>(in[i]));
    if (len == 0) {
      out.append(replacement);
      ++i;
      continue;
    }
    if (i + len > in.size()) {
      // Possibly a character cut by the read; keep it if what we have is a valid prefix.
      bool prefix_ok = true;
      for (size_t k = i + 1; k < in.size(); ++k)
        prefix_ok = prefix_ok && (static_cast<unsigned char>(in[k]) & 0xC0) == 0x80;
      if (prefix_ok) {
        carry_ = in.substr(i);
        break;
      }
      out.append(replacement);
      ++i;
      continue;
    }
    if (!well_formed(in, i, len)) {
      out.append(replacement);
      ++i;
      continue;
    }
    out.append(in, i, len);
    i += len;
  }
  return out;
}

std::string utf8_stream::finish() {
  std::string out = carry_.empty() ? "" : std::string(replacement);
  carry_.clear();
  return out;
}

} // namespace baikal::kernel_runner
