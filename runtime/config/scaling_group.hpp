#pragma once

/// update_scaling_group: change `agent.scaling-group` in the agent's TOML file. toml++ drops
/// comments and reorders when it re-serialises, so the file is edited line by line: only the
/// one key's line changes (or one line is added), everything else is kept byte for byte.

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace baikal {

/// `group` as a TOML basic string, quotes included.
std::string toml_quoted(const std::string& group);

/// `toml_text` with agent.scaling-group set to `group`: the key's value is replaced in place
/// (indentation and a trailing comment kept), or a line is added at the top of the [agent]
/// table, or an [agent] table is appended. The result is parsed back and must say `group`;
/// anything the line edit cannot do safely is invalid_argument, never a damaged file.
caf::expected<std::string> set_scaling_group(const std::string& toml_text,
                                             const std::string& group);

/// Writes `{config_path}.bak` (a copy of the file as it is) first, then atomically replaces
/// `config_path` with set_scaling_group's result. A missing or unreadable file is a
/// runtime_error and leaves nothing behind; an empty group is invalid_argument.
caf::error update_scaling_group(const std::string& config_path, const std::string& group);

} // namespace baikal
