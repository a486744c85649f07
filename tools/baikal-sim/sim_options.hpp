#pragma once

/// The command line of baikal-sim: the fleet, the workload, the simulated latencies and the
/// failures to inject.

#include <cstddef>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "tools/baikal-sim/latency.hpp"

namespace baikal::sim {

struct sim_options {
  size_t agents = 10;
  size_t sessions = 100;
  double multi_kernel_share = 0; ///< share of sessions with cluster_size kernels
  uint32_t cluster_size = 3;
  double arrival_rate = 0; ///< sessions per second; 0: all at once
  latency pull, create, destroy;
  double fail_create_share = 0; ///< agents whose create_kernels fails
  double silent_share = 0;      ///< agents that never heartbeat after registering
  double hang_share = 0;        ///< agents whose create_kernels never answers
  std::string store = ":memory:";
  double session_timeout_s = 30;
  double park_idle_after_s = 10; ///< see manager_settings::park_idle_after
  double max_wait_s = 900;       ///< give up waiting for final statuses after this
  /// After settling, wait this long and measure memory again: by then the last answers, request
  /// timeouts and phase timers are gone, and what is left is what idle sessions hold. 0: skip.
  double idle_wait_s = 0;
  /// Where jemalloc's heap profile goes at the end of the idle wait (empty: none).
  std::string heap_profile;
  size_t threads = 2;
  bool json = false;
  bool help = false;
  /// 0: the agents run in this process; K: in K child processes joining over the middleman.
  size_t agent_processes = 0;
  /// Set only in a child (the hidden `--agent-host HOST:PORT --agent-range B-E`): the
  /// registry to join and the agents [host_begin, host_end) to host.
  std::string agent_host;
  size_t host_begin = 0, host_end = 0;
  /// The arguments as given (without the program name), handed on to the children.
  std::vector<std::string> args;
};

caf::expected<sim_options> parse_options(int argc, char** argv);

extern const char* usage_text;

} // namespace baikal::sim
