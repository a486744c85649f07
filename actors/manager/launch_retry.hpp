#pragma once

/// Whether a failed session start is the agents' fault, and whether the session may be placed
/// again elsewhere: plain rules the session actor and the front share.
///
/// A failure is the agent's own when an agent reported it with a code that says its engine,
/// disk, runner or connection failed (agent_error, runtime_error, timeout, unavailable). A
/// missing image (not_found), a bad request (invalid_argument, too_large), a refused
/// permission or a name already taken (conflict) fail the same way on any agent, and a step of
/// the manager's own (no agent) is not the agent's either: those end the session at once.

#include <cstdint>
#include <string>
#include <vector>

#include "messages/launcher_interface.hpp"

namespace baikal::launch {

/// Whether `f` happened on its agent for a reason of the agent's own.
bool is_agent_side(const start_failure& f);

/// The failures of `failures` that are agent-side.
std::vector<start_failure> agent_side(const std::vector<start_failure>& failures);

/// Whether a start that failed with `failures` may be placed again: it failed on agents, every
/// failure is agent-side, and fewer than `limit` retries were made (`retries_done`).
bool may_retry(const std::vector<start_failure>& failures, uint32_t retries_done, uint32_t limit);

/// The agents `failures` name, each once, in order.
std::vector<agent_id> agents_of(const std::vector<start_failure>& failures);

/// One line for a person: "agent a1: <message>; agent a2: <message>".
std::string describe(const std::vector<start_failure>& failures);

} // namespace baikal::launch
