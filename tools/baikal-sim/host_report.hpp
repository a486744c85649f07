#pragma once

/// The lines a child process hosting agents writes on its stdout, which is a pipe the parent
/// reads: one when every agent it hosts has joined the manager, one with its figures when it
/// ends. Anything else on that pipe is ignored, so a stray print cannot break the protocol.

#include <string>

#include <caf/optional.hpp>

#include "tools/baikal-sim/process_stats.hpp"

namespace baikal::sim {

/// "baikal-sim-host ready N": the N agents of this process are registered.
std::string ready_line(size_t agents);

/// The agent count of a ready line; none for any other line.
caf::optional<size_t> parse_ready_line(const std::string& line);

/// "baikal-sim-host report pid=P agents=N peak_rss=B cpu_s=S": the child's figures.
std::string report_line(const process_figures& p);

/// The figures of a report line (role left empty); none for any other line.
caf::optional<process_figures> parse_report_line(const std::string& line);

} // namespace baikal::sim
