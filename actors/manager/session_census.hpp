#pragma once

/// How many sessions are in each status, for /metrics. The sessions' own actors count their
/// moves here, and the front counts the sessions it adds: the front hears only of the moves it
/// acts on (front_view_changed), so it cannot count them itself.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include <caf/optional.hpp>

#include "messages/status_types.hpp"

namespace baikal {

class session_census {
public:
  /// A session moved from `from` (none for one new to this manager) to `to`.
  void moved(caf::optional<session_status> from, session_status to);

  uint64_t count(session_status status) const;

private:
  static size_t index(session_status s) { return static_cast<size_t>(s) - 1; }

  std::array<std::atomic<int64_t>, all_session_statuses.size()> counts_{};
};

/// Whether the front must hear of a session's move from `from` to `to`: the front tells pending
/// sessions from bound ones, bound ones from those whose kernels may run (an agent's
/// reconciliation keeps those), RUNNING ones and the ended; moves within one of these are its
/// actor's own business.
bool front_view_changed(session_status from, session_status to);

/// A session's status as the front knows it, for its answers: the exact status, or "starting"
/// for a session between bound and RUNNING (the front hears of some of those moves only).
std::string front_status_text(session_status status);

} // namespace baikal
