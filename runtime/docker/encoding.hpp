#pragma once

/// Small encoders the Docker Engine API needs: percent-encoding for query values and path
/// names, base64 for X-Registry-Auth and X-Docker-Container-Path-Stat, JSON filter maps.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baikal::docker {

/// Percent-encodes everything but RFC 3986 unreserved characters (so `/`, `:`, `#` and spaces
/// in a path segment or query value survive).
std::string url_encode(std::string_view text);

/// Base64 with `=` padding; `url_safe` uses `-` and `_` (what X-Registry-Auth must be).
std::string base64_encode(std::string_view data, bool url_safe);

/// Decodes standard or URL-safe base64, padded or not; nullopt on a foreign character.
std::optional<std::string> base64_decode(std::string_view text);

/// `{"key":["v1","v2"],...}`: Docker rejects filter values that are not arrays.
std::string filters_json(const std::map<std::string, std::vector<std::string>>& filters);

/// Appends `key=url_encode(value)` to `target` with `?` or `&` as needed.
void add_query(std::string& target, std::string_view key, std::string_view value);

} // namespace baikal::docker
