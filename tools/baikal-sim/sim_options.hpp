#pragma once

/// The command line of baikal-sim: the fleet, the workload, the simulated latencies and the
/// failures to inject.

#include <cstddef>
#include <string>

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
  double max_wait_s = 900; ///< give up waiting for final statuses after this
  size_t threads = 2;
  bool json = false;
  bool help = false;
};

caf::expected<sim_options> parse_options(int argc, char** argv);

extern const char* usage_text;

} // namespace baikal::sim
