#pragma once

/// A check of a TOML text before toml++ parses it. toml++ 3.3.0 (Debian 12) asks whether a
/// non-ASCII character is whitespace through a table that reaches __builtin_unreachable for
/// most characters in U+00A1-U+0499, U+2C6E-U+3067 and U+FB26-U+FEFE
/// (is_non_ascii_horizontal_whitespace): undefined behaviour on input such as `id = 1¡`, in
/// every build. It asks only where whitespace may stand: outside strings and comments (a quote
/// inside a bare value opens no string), and in a multi-line basic string right after a
/// backslash. TOML allows non-ASCII characters only in strings and comments anyway, so such a
/// text is refused here, with its place, and toml++ never sees it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace baikal {

/// Where a text cannot go to toml++, and why.
struct toml_text_problem {
  size_t line = 1;   ///< from 1
  size_t column = 1; ///< from 1, in characters
  std::string what;
};

/// The first place in `text` where toml++ would ask about a non-ASCII character's kind, if any.
std::optional<toml_text_problem> unsafe_toml_text(std::string_view text);

} // namespace baikal
