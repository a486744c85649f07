#pragma once

/// The child side of a multi-process run (`baikal-sim --agent-host HOST:PORT --agent-range
/// B-E` plus the parent's own options, which the parent passes on): joins the manager's agent
/// registry published at HOST:PORT over the middleman, spawns the simulated agents [B, E) with
/// the same faults, latencies and seeds an in-process run gives them, registers each and beats
/// for those that are not silent. It then says so on stdout (host_report.hpp) and waits for
/// EOF on stdin, which comes when the parent is done or gone; it answers with its figures
/// (pid, agents, peak RSS, CPU) on stdout and exits.

#include "tools/baikal-sim/sim_options.hpp"

namespace baikal::sim {

/// Runs the child until its stdin closes; answers the process's exit code (0 when every agent
/// joined, 2 otherwise, with the reason on stderr).
int run_agent_host(const sim_options& opts);

} // namespace baikal::sim
