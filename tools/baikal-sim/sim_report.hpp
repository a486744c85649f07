#pragma once

/// The figures of one simulation run and how they are printed (a table, or JSON).

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "tools/baikal-sim/process_stats.hpp"
#include "tools/baikal-sim/sim_checks.hpp"

namespace baikal::sim {

struct sim_figures {
  std::map<std::string, std::string> parameters;
  size_t sessions = 0;
  size_t running = 0;
  double wall_s = 0;       ///< first create_session to the last session settled (polled)
  double to_running_s = 0; ///< first create_session to the last kernel_started
  double sending_s = 0;    ///< first create_session to the last one sent
  double cpu_s = 0;        ///< process CPU over the workload
  std::vector<double> latencies_ms;
  uint64_t peak_rss = 0;
  uint64_t rss_before = 0;  ///< after the agents joined, before the first session
  uint64_t rss_after = 0;   ///< once every session settled
  uint64_t heap_before = 0; ///< heap in use, at the same two moments
  uint64_t heap_after = 0;
  double idle_wait_s = 0; ///< 0: the idle figures were not measured
  uint64_t rss_idle = 0;  ///< --idle-wait seconds after settling
  uint64_t heap_idle = 0;
  /// Sessions parked (no actor) at the end of the idle wait, from the manager's metrics.
  uint64_t parked_idle = 0;
  check_result checks;
  std::map<std::string, size_t> injected; ///< agents by fault ("fails-create": 2, ...)
  /// The manager's process first, then each child hosting agents (multi-process runs).
  std::vector<process_figures> processes;
};

/// p in [0, 1] of sorted `xs`; 0 for none.
double percentile(const std::vector<double>& sorted, double p);

void print_table(std::ostream& out, const sim_figures& f);
void print_json(std::ostream& out, const sim_figures& f);

} // namespace baikal::sim
