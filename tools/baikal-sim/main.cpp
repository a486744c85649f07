// baikal-sim: one manager (the real actors, store in memory by default) and a fleet of
// simulated agents in one process; runs a workload of sessions, prints throughput, launch
// latency, failures by kind and memory, and exits non-zero when a session is lost, stuck, or
// does not show the failure injected into its agent.

#include <iostream>

#include "messages/errors.hpp"
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
