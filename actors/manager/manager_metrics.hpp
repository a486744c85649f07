#pragma once

/// The manager's metrics and their Prometheus text rendering. The event hub counts pulls in
/// `event_counters` (shared, atomic: read by the front while the hub writes); the front keeps
/// everything else in `manager_metrics` and renders both for `/metrics`.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actors/manager/agent_quarantine.hpp"
#include "actors/manager/session_census.hpp"
#include "messages/status_types.hpp"

namespace baikal {

/// What the event hub counts as events pass.
struct event_counters {
  std::atomic<uint64_t> pulls_started{0};
  std::atomic<uint64_t> pulls_finished{0};
  std::atomic<uint64_t> pulls_failed{0};
  std::atomic<uint64_t> kernel_events{0};
  /// Numbered events an agent sent again after a reconnection that had arrived already.
  std::atomic<uint64_t> event_repeats{0};
};

/// A Prometheus histogram with fixed upper bounds (seconds).
struct histogram {
  std::vector<double> bounds = {0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800};
  std::vector<uint64_t> counts = std::vector<uint64_t>(bounds.size(), 0); ///< per bucket
  double sum = 0;
  uint64_t count = 0;

  void observe(double value);
};

struct manager_metrics {
  /// Shared with the session actors, which count their own moves (session_census.hpp).
  std::shared_ptr<session_census> sessions = std::make_shared<session_census>();
  std::map<agent_status, uint64_t> agents_by_status;
  /// ALIVE agents whose heartbeat says they cannot run kernels (their Docker engine is away).
  uint64_t unhealthy_agents = 0;
  /// Agents an operator drained (POST /v1/agents/{id}/drain): they take no new kernels.
  int64_t drained_agents = 0;
  /// RUNNING sessions without an actor (parked while idle; see session.hpp).
  uint64_t parked_sessions = 0;
  /// Seconds from creation to RUNNING.
  histogram launch_latency;
  /// Sessions placed again after their agents failed them (launch_retry.hpp).
  uint64_t launch_retries = 0;
  /// Agents put into quarantine (agent_quarantine.hpp), counted each time.
  uint64_t quarantines = 0;

  /// A session moved from `from` (none for a new one) to `to`.
  void session_moved(caf::optional<session_status> from, session_status to);
};

/// The Prometheus text exposition of `m`, `events` and the agents quarantined now.
std::string
render_prometheus(const manager_metrics& m, const event_counters& events,
                  const std::vector<std::pair<std::string, quarantine_status>>& quarantined = {});

} // namespace baikal
