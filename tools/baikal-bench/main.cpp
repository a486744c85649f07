// baikal-bench: runs one benchmark (Baikal's side and its baseline in the same run) and prints
// both figures and their ratio, as a table or with --json. See BENCHMARKS.md.

#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "tools/baikal-bench/bench_env.hpp"
#include "tools/baikal-bench/bench_options.hpp"
#include "tools/baikal-bench/benchmarks.hpp"

using namespace baikal::bench;

int main(int argc, char** argv) {
  std::string error;
  auto opts = parse_bench_options(argc, argv, error);
  if (!opts || opts->help) {
    std::cerr << (opts ? "" : "baikal-bench: " + error + "\n") << bench_usage();
    return opts ? 0 : 2;
  }
  // The agent's info logs (one line per kernel) would drown the figures.
  // Loggers made later read BAIKAL_LOG_LEVEL; set it before any thread starts.
  ::setenv("BAIKAL_LOG_LEVEL", "warn", 0);
  auto env = resolve_env(*opts);
  try {
    report r;
    if (opts->command == "execute")
      r = run_execute(*opts, env);
    else if (opts->command == "create")
      r = run_create(*opts, env);
    else if (opts->command == "pull")
      r = run_pull(*opts, env);
    else if (opts->command == "files")
      r = run_files(*opts, env);
    else if (opts->command == "manager")
      r = run_manager(*opts, env);
    else
      r = run_launcher(*opts, env);
    std::cout << (opts->json ? render_json(r) : render_table(r)) << std::flush;
  } catch (const std::exception& e) {
    std::cerr << "baikal-bench " << opts->command << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
