#pragma once

/// One simulation run: the manager (spawn_manager with simulation settings), the simulated
/// fleet joining it through its registry (in this process, or with --agent-processes K in K
/// child processes over the middleman on a loopback port), the workload, the wait until every
/// session settled, the checks, and the figures of every process.

#include <caf/expected.hpp>

#include "tools/baikal-sim/sim_options.hpp"
#include "tools/baikal-sim/sim_report.hpp"

namespace baikal::sim {

caf::expected<sim_figures> run_simulation(const sim_options& opts);

} // namespace baikal::sim
