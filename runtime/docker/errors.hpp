#pragma once

/// How Docker's answers become Baikal errors. Docker's own `message` text is the error message,
/// unchanged, because callers (and the API's users) compare and read it.

#include <optional>
#include <string>
#include <string_view>

#include <caf/error.hpp>

#include "messages/errors.hpp"

namespace baikal::docker {

/// 404 not_found, 409 conflict, 400 invalid_argument, 403 permission_denied, else runtime_error.
errc errc_of_status(unsigned status);

/// True for the statuses a call succeeds with (2xx, and 304 "already started/stopped").
bool is_success(unsigned status);

/// Docker's text in an error body: the `message` field of `{"message":"..."}`, or the trimmed
/// body when it is not JSON (a plain-text 400 from the HTTP layer).
std::string message_of_body(std::string_view body);

/// The error for a non-success answer.
caf::error error_of_response(unsigned status, std::string_view body);

/// The error text inside one progress line (`{"errorDetail":..,"error":"M"}`), if any.
std::optional<std::string> stream_line_error(std::string_view line);

/// The error for an engine that could not be reached over `socket_path`.
caf::error unreachable(const std::string& socket_path, const std::string& why);

} // namespace baikal::docker
