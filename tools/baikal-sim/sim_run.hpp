#pragma once

/// One simulation run: the manager (spawn_manager with simulation settings), the simulated
/// fleet joining it through its registry, the workload, the wait until every session settled,
/// and the checks.

#include <caf/expected.hpp>

#include "tools/baikal-sim/sim_options.hpp"
#include "tools/baikal-sim/sim_report.hpp"

namespace baikal::sim {

caf::expected<sim_figures> run_simulation(const sim_options& opts);

} // namespace baikal::sim
