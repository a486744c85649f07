#pragma once

/// Runs a program to its end and collects its stdout: the docker CLI side of the benchmarks.

#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace baikal::bench {

struct process_result {
  int exit_code = -1;
  std::string out;
};

/// Runs `argv` (argv[0] looked up in PATH) with stdin from /dev/null and stderr inherited;
/// an error only when it could not be started.
caf::expected<process_result> run_process(const std::vector<std::string>& argv);

} // namespace baikal::bench
