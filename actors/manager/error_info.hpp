#pragma once

/// The error info the launcher writes into a session's `status_data`, shaped like the
/// reference's convert_to_status_data():
///   {"error": {"src": "agent", "name": "AgentError", "repr": "AgentError('...')", "agent_id":
///   "a1"}}
///   {"error": {"src": "other", "name": "ValueError", "repr": "ValueError('...')"}}
/// and, when several agents failed,
///   {"error": {"src": "agent", "name": "MultiAgentError", "repr": "MultiAgentError(2)",
///              "collection": [<one "error" object per failure>]}}
/// A session placed again after agents failed (launch_retry.hpp) also lists every failed
/// attempt, oldest first, one object per failure:
///   {"error": {...the last attempt...}, "attempts": [{"attempt": 1, "src": "agent", ...}, ...]}
/// and, once it started on another agent, only {"attempts": [...]}.

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/errors.hpp"
#include "messages/ids.hpp"
#include "messages/launcher_interface.hpp"

namespace baikal::launch {

/// One thing that went wrong while starting a session; `agent` is empty when no agent did it.
struct launch_failure {
  agent_id agent;
  caf::error error;
};

/// The Python exception name the reference would show for `code` ("ValueError", ...).
std::string python_name_of(errc code);

/// The status_data JSON for `failures` (at least one).
std::string make_error_info(const std::vector<launch_failure>& failures);

/// The status_data of a session whose start failed in `attempts` (each attempt's failures,
/// oldest first): with the last attempt as "error" when `ended` (the session is ERROR), the
/// attempts alone otherwise.
std::string make_attempts_info(const std::vector<std::vector<start_failure>>& attempts, bool ended);

/// The single error a failed session start answers: the failure itself, or agent_error
/// summarising several.
caf::error summarize(const std::vector<launch_failure>& failures);

} // namespace baikal::launch
