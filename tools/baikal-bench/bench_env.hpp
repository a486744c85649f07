#pragma once

/// Where the benchmarks find the Docker engine, the test image, the local registry and the
/// kernel runner: the command line first, then the environment the test harness writes
/// (tests/harness/test-env.sh: DOCKER_HOST, BAIKAL_TEST_IMAGE, BAIKAL_TEST_REGISTRY), then
/// the defaults of a plain install.

#include <string>

#include "tools/baikal-bench/bench_options.hpp"

namespace baikal::bench {

struct bench_env {
  std::string docker_socket; ///< a path, never empty
  std::string image;
  std::string registry; ///< host:port, may be empty
  std::string runner_path;
  std::string scratch_dir;
};

bench_env resolve_env(const bench_options& opts);

/// A fresh directory under `parent` named prefix.XXXXXX.
std::string make_temp_dir(const std::string& parent, const std::string& prefix);

/// Removes `dir` and everything in it; logs nothing, fails quietly (a cleanup).
void remove_tree(const std::string& dir);

} // namespace baikal::bench
