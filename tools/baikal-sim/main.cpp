// baikal-sim: one manager (the real actors, store in memory by default) and a fleet of
// simulated agents, in this process or in child processes joining over the middleman
// (--agent-processes); runs a workload of sessions, prints throughput, launch latency, failures
// by kind and the memory of each process, and exits non-zero when a session is lost, stuck, or
// does not show the failure injected into its agent. A child runs this same program with the
// hidden --agent-host option.

#include <iostream>

#include "messages/errors.hpp"
#include "tools/baikal-sim/agent_host.hpp"
#include "tools/baikal-sim/sim_options.hpp"
#include "tools/baikal-sim/sim_run.hpp"

int main(int argc, char** argv) {
  using namespace baikal::sim;
  auto opts = parse_options(argc, argv);
  if (!opts) {
    std::cerr << "baikal-sim: " << baikal::message_of(opts.error()) << "\n" << usage_text;
    return 2;
  }
  if (opts->help) {
    std::cout << usage_text;
    return 0;
  }
  if (!opts->agent_host.empty())
    return run_agent_host(*opts);
  auto figures = run_simulation(*opts);
  if (!figures) {
    std::cerr << "baikal-sim: " << baikal::message_of(figures.error()) << "\n";
    return 2;
  }
  if (opts->json)
    print_json(std::cout, *figures);
  else
    print_table(std::cout, *figures);
  return figures->checks.problems.empty() ? 0 : 1;
}
