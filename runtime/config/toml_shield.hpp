#pragma once

/// A guard around toml++ 3.3.0 (Debian 12). Asked whether a non-ASCII character is whitespace,
/// it looks the character up in a table that reaches __builtin_unreachable for most characters
/// in U+00A1-U+0499, U+2C6E-U+3067 and U+FB26-U+FEFE (is_non_ascii_horizontal_whitespace):
/// undefined behaviour on a text such as `id = 1¡`, in every build. It asks wherever whitespace
/// may stand, which depends on how its parser reads the text (a quote inside a bare value opens
/// no string, say), so no check of ours can know every place.
///
/// Instead toml++ never sees those characters: before it parses, each is moved to the same
/// offset in the private-use plane U+F0000 (characters toml++ answers for at once, and which
/// are as valid as the original wherever the original was), and every string, key and message
/// read back from the parsed table is moved back. A text that already holds one of the plane's
/// characters that the move would produce is refused: reading it back would be ambiguous.

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

/// `text` with the characters toml++ cannot look up moved to plane 15, or the problem.
struct shielded_toml {
  std::string text;
  std::optional<toml_text_problem> problem;
};
shielded_toml shield_toml_text(std::string_view text);

/// A string toml++ gave back (a value, a key, a message), with the moved characters restored.
std::string unshield_toml_string(std::string_view text);

} // namespace baikal
