#include "tools/baikal-sim/agent_host_group.hpp"

#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"
#include "tools/baikal-sim/fleet.hpp"
#include "tools/baikal-sim/host_report.hpp"

namespace baikal::sim {

namespace {

/// Reads lines from `child` until `parse` accepts one; the error says why none came.
template <class T>
caf::expected<T> read_until(piped_child& child, std::chrono::steady_clock::time_point deadline,
                            caf::optional<T> (*parse)(const std::string&)) {
  for (;;) {
    auto line = child.read_line(deadline);
    if (!line)
      return line.error();
    if (auto x = parse(*line))
      return std::move(*x);
  }
}

} // namespace

std::vector<std::string> agent_host_arguments(const std::vector<std::string>& parent_args,
                                              const std::string& registry, size_t begin,
                                              size_t end) {
  std::vector<std::string> out;
  for (size_t i = 0; i < parent_args.size(); ++i) {
    auto& a = parent_args[i];
    if (a == "--agent-processes" || a == "--agent-host" || a == "--agent-range") {
      ++i; // and its value
      continue;
    }
    if (a == "--json")
      continue;
    out.push_back(a);
  }
  out.insert(out.end(), {"--agent-host", registry, "--agent-range",
                         std::to_string(begin) + "-" + std::to_string(end)});
  return out;
}

caf::expected<agent_host_group> agent_host_group::start(const std::string& program,
                                                        const sim_options& opts,
                                                        const host_port& registry) {
  agent_host_group group;
  auto addr = cluster::to_string(registry);
  for (size_t k = 0; k < opts.agent_processes; ++k) {
    auto range = host_range(opts.agents, opts.agent_processes, k);
    auto child =
        piped_child::start(program, agent_host_arguments(opts.args, addr, range.begin, range.end));
    if (!child)
      return child.error();
    group.members_.push_back(
        {std::move(*child), "agent-host " + std::to_string(k + 1), range.end - range.begin});
  }
  return group;
}

caf::error agent_host_group::wait_ready(std::chrono::steady_clock::time_point deadline) {
  for (auto& m : members_) {
    auto n = read_until(m.process, deadline, parse_ready_line);
    if (!n)
      return make_error(errc::unavailable,
                        m.role + " (pid " + std::to_string(m.process.pid()) +
                            ") did not get its agents to join: " + message_of(n.error()));
    if (*n != m.agents)
      return make_error(errc::runtime_error, m.role + " joined " + std::to_string(*n) +
                                                 " agents instead of " + std::to_string(m.agents));
  }
  return caf::none;
}

std::vector<process_figures>
agent_host_group::finish(std::chrono::steady_clock::time_point deadline,
                         std::vector<std::string>& problems) {
  for (auto& m : members_)
    m.process.close_stdin();
  std::vector<process_figures> out;
  for (auto& m : members_) {
    auto pid = m.process.pid();
    auto report = read_until(m.process, deadline, parse_report_line);
    if (!report) {
      m.process.kill();
      problems.push_back(m.role + " (pid " + std::to_string(pid) +
                         ") sent no figures: " + message_of(report.error()));
      continue;
    }
    auto code = m.process.wait();
    if (code != 0)
      problems.push_back(m.role + " (pid " + std::to_string(pid) + ") exited with " +
                         std::to_string(code));
    report->role = m.role;
    out.push_back(std::move(*report));
  }
  return out;
}

} // namespace baikal::sim
