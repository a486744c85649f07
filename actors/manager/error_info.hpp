#pragma once

/// The error info the launcher writes into a session's `status_data`, shaped like the
/// reference's convert_to_status_data():
///   {"error": {"src": "agent", "name": "AgentError", "repr": "AgentError('...')", "agent_id":
///   "a1"}}
///   {"error": {"src": "other", "name": "ValueError", "repr": "ValueError('...')"}}
/// and, when several agents failed,
///   {"error": {"src": "agent", "name": "MultiAgentError", "repr": "MultiAgentError(2)",
///              "collection": [<one "error" object per failure>]}}

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/errors.hpp"
#include "messages/ids.hpp"

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

/// The single error a failed session start answers: the failure itself, or agent_error
/// summarising several.
caf::error summarize(const std::vector<launch_failure>& failures);

} // namespace baikal::launch
