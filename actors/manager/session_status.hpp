#pragma once

/// The states of a session's lifecycle as the store and the API spell them, and which of them
/// are final.

#include <string>

#include <caf/optional.hpp>

namespace baikal {

enum class session_status {
  pending,
  scheduled,
  preparing,
  pulling,
  prepared,
  creating,
  running,
  terminating,
  terminated,
  error,
};

/// "PENDING", "SCHEDULED", ...
std::string to_string(session_status x);

/// The status named `text`, none for a name that is not a status.
caf::optional<session_status> session_status_from(const std::string& text);

/// TERMINATED and ERROR: the session holds no resources and has no actor any more.
bool is_terminal(session_status x);

/// Whether `text` names a final status.
bool is_terminal_status(const std::string& text);

} // namespace baikal
