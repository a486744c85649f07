#pragma once

/// toml++'s parse of a text behind the shield of toml_shield.hpp, without exceptions: every
/// reader of TOML text (the agent's, the manager's and baikalctl's config files, the scaling
/// group edit) starts here and words the problem in its own terms.

#include <optional>
#include <string>
#include <string_view>

#include "runtime/config/toml.hpp"
#include "runtime/config/toml_shield.hpp"

namespace baikal {

/// The parsed table, or (table empty) where the text is not TOML and why, with the shielded
/// characters restored in the message.
struct toml_parse_result {
  std::optional<toml::table> table;
  toml_text_problem problem;
};

/// Parses `text`; `source` names it in toml++'s own records (a file's path).
toml_parse_result parse_toml(std::string_view text, const std::string& source = {});

} // namespace baikal
