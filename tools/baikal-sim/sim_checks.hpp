#pragma once

/// The end-of-run checks: every session the manager accepted is found again, is RUNNING or
/// final, and its status matches the faults of the agents it was placed on (a session on a
/// failing or hanging agent is ERROR with error info naming what failed; a session on healthy
/// agents is RUNNING), and the manager kept sessions away from failing agents: the share of
/// sessions it placed on them (any attempt) is at most twice their share of the fleet's
/// capacity. Plain functions over the records, so they are testable alone.

#include <map>
#include <string>
#include <vector>

#include <caf/optional.hpp>

#include "messages/session_records.hpp"
#include "tools/baikal-sim/sim_agent.hpp"

namespace baikal::sim {

/// One accepted session as the manager answered get_session (or why it could not).
struct session_outcome {
  session_id id;
  caf::optional<session_record> record;
  std::string lookup_error; ///< set when get_session failed
};

/// The statuses key of the sessions the manager no longer knows: not a status it has.
constexpr const char* lost_session_key = "LOST";

struct check_result {
  std::map<std::string, size_t> statuses;       ///< final counts by status name
  std::map<std::string, size_t> errors_by_name; ///< ERROR sessions by status_data error name
  size_t expected_failures = 0;                 ///< sessions placed on a failing/hanging agent
  size_t injected_failures_seen = 0;            ///< of those, ERROR with the right error info
  size_t placed_on_failing = 0;                 ///< sessions with an attempt on a failing agent
  double placed_on_failing_share = 0;           ///< of the sessions accepted
  double failing_capacity_share = 0; ///< the failing agents' share of the fleet's capacity
  std::vector<std::string> problems; ///< one line each; empty: all is well
};

/// How many times their share of capacity the sessions placed on failing agents may be.
constexpr double failing_share_limit = 2.0;

/// Notes in `out` how many of `sessions` were placed on failing agents (`placed`) against
/// their share of capacity, and a problem when that is more than failing_share_limit times it.
void check_failing_share(check_result& out, size_t placed, size_t sessions, double capacity_share);

/// The "name" of a status_data error info ("AgentError", "MultiAgentError", ...), or "" when
/// it holds none.
std::string error_name_of(const std::string& status_data);

check_result check_sessions(const std::vector<session_outcome>& outcomes,
                            const std::map<agent_id, agent_fault>& faults, size_t refused);

} // namespace baikal::sim
