#pragma once

/// Checks of values that come from outside (HTTP bodies, agent RPC arguments), shared by the
/// manager's API and the agent so both refuse the same things with the same words. Each answers
/// none, or invalid_argument (too_large for a size over a limit) naming the field and what it
/// accepts.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include <caf/error.hpp>

namespace baikal::checks {

/// Bounds on a string map a request carries (environ, labels, options).
struct map_limits {
  size_t max_entries = 256;
  size_t max_key_bytes = 256;
  size_t max_value_bytes = 32 * 1024;
};

/// `value` for a message: at most 80 characters, control characters shown as '?'.
std::string shown(std::string_view value);

/// A name: 1 to `max_length` letters, digits, '-', '_' or '.', starting with a letter or digit.
caf::error check_name(const std::string& field, std::string_view value, size_t max_length);

/// A file name without a directory: not empty, no '/', no NUL, not "." or "..", at most 255 bytes.
caf::error check_plain_file_name(const std::string& field, std::string_view value);

/// A text of at most `max_bytes` (too_large beyond) without NUL characters.
caf::error check_text(const std::string& field, std::string_view value, size_t max_bytes);

/// Environment variables: at most `limits.max_entries`; each key not empty, without '=', NUL
/// or control characters, at most max_key_bytes; each value without NUL, at most
/// max_value_bytes.
caf::error check_environ(const std::string& field, const std::map<std::string, std::string>& env,
                         const map_limits& limits);

/// Labels or options: at most `limits.max_entries`; keys not empty and without control
/// characters; values without NUL; sizes as for environ.
caf::error check_string_map(const std::string& field,
                            const std::map<std::string, std::string>& values,
                            const map_limits& limits);

} // namespace baikal::checks
