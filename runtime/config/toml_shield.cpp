#include "runtime/config/toml_shield.hpp"

#include <cstdint>

namespace baikal {

namespace {

constexpr char32_t plane_base = 0xF0000;

/// The characters is_non_ascii_horizontal_whitespace of toml++ 3.3.0 cannot answer for: those
/// in the three 1018-wide blocks its table leaves to a switch without their case.
bool unanswerable(char32_t c) {
  if (c < 0xA1 || c > 0xFEFE)
    return false;
  auto block = (static_cast<uint64_t>(c) - 0xA0) / 0x3FA;
  return (block == 0 || block == 11 || block == 63) && c != 0x3000;
}

/// The UTF-8 sequence at `text[i]`: its character and length, or length 0 when malformed
/// (toml++ then reports it; nothing is moved).
struct decoded {
  char32_t c = 0;
  size_t length = 0;
};

decoded decode(std::string_view text, size_t i) {
  auto b0 = static_cast<unsigned char>(text[i]);
  size_t n = b0 < 0x80           ? 1
             : (b0 >> 5) == 0x6  ? 2
             : (b0 >> 4) == 0xE  ? 3
             : (b0 >> 3) == 0x1E ? 4
                                 : 0;
  if (n == 0 || i + n > text.size())
    return {};
  char32_t c = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t k = 1; k < n; ++k) {
    auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80)
      return {};
    c = (c << 6) | (b & 0x3F);
  }
  return {c, n};
}

void encode(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// Whether `c` is where shield_toml_text moves a character.
bool moved_here(char32_t c) {
  return c >= plane_base && c - plane_base <= 0xFEFE && unanswerable(c - plane_base);
}

} // namespace

shielded_toml shield_toml_text(std::string_view text) {
  shielded_toml out;
  out.text.reserve(text.size());
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < text.size();) {
    auto d = decode(text, i);
    if (d.length == 0) { // malformed: passed on byte by byte for toml++ to refuse
      out.text += text[i++];
      ++column;
      continue;
    }
    if (moved_here(d.c)) {
      out.problem = toml_text_problem{line, column,
                                      "a character of the private-use plane 15 that this "
                                      "reader cannot take (U+F0000 to U+FFEFE)"};
      return out;
    }
    if (unanswerable(d.c))
      encode(plane_base + d.c, out.text);
    else
      out.text.append(text.substr(i, d.length));
    if (d.c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += d.length;
  }
  return out;
}

std::string unshield_toml_string(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto d = decode(text, i);
    if (d.length == 0) {
      out += text[i++];
      continue;
    }
    if (moved_here(d.c))
      encode(d.c - plane_base, out);
    else
      out.append(text.substr(i, d.length));
    i += d.length;
  }
  return out;
}

} // namespace baikal
