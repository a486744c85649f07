#pragma once

/// Splitting a request target into its path and decoded query parameters.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace baikal::http {

/// Decodes %XX escapes (and '+' as a space when `plus_is_space`); nothing for a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Encodes everything but unreserved characters and, when `keep_slash`, '/'.
std::string percent_encode(std::string_view text, bool keep_slash = false);

struct split_target {
  std::string path; ///< still encoded
  std::map<std::string, std::string> query;
};

/// Splits "/a/b?x=1&y=%2F" into its path and query; nothing when an escape is malformed.
std::optional<split_target> parse_target(std::string_view target);

} // namespace baikal::http
