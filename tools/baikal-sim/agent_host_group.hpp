#pragma once

/// The parent side of a multi-process run: K child processes of this same program, each
/// hosting an even share of the simulated agents (agent_host.hpp), started against the
/// manager's registry once it is published, waited for until every agent joined, and at the
/// end told to finish (their stdin closed) and asked for their figures. A group destroyed
/// before finish() kills its children: no child outlives the run.

#include <chrono>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/kernel_types.hpp"
#include "tools/baikal-sim/piped_child.hpp"
#include "tools/baikal-sim/process_stats.hpp"
#include "tools/baikal-sim/sim_options.hpp"

namespace baikal::sim {

/// The arguments of child `k`: the parent's own (without --agent-processes and --json, which
/// are the parent's business) plus the registry's address and the child's agent range.
std::vector<std::string> agent_host_arguments(const std::vector<std::string>& parent_args,
                                              const std::string& registry, size_t begin,
                                              size_t end);

class agent_host_group {
public:
  /// Starts `opts.agent_processes` children of `program` joining the registry at `registry`.
  static caf::expected<agent_host_group> start(const std::string& program, const sim_options& opts,
                                               const host_port& registry);

  /// Waits until every child said its agents joined; an error names the child that did not
  /// (it exited, or `deadline` passed).
  caf::error wait_ready(std::chrono::steady_clock::time_point deadline);

  /// Tells every child to finish and collects its figures; a child that exits non-zero or
  /// reports nothing before `deadline` is a line in `problems`.
  std::vector<process_figures> finish(std::chrono::steady_clock::time_point deadline,
                                      std::vector<std::string>& problems);

private:
  struct member {
    piped_child process;
    std::string role;
    size_t agents = 0;
  };
  std::vector<member> members_;
};

} // namespace baikal::sim
