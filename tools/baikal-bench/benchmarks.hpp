#pragma once

/// The benchmarks. Each runs Baikal's side and its baseline in one run and answers the
/// report to print; a failure on either side throws std::runtime_error with what went wrong.

#include "tools/baikal-bench/bench_env.hpp"
#include "tools/baikal-bench/bench_options.hpp"
#include "tools/baikal-bench/report.hpp"

namespace baikal::bench {

/// `echo hi` through the kernel runner vs docker exec (Engine API and CLI).
report run_execute(const bench_options& opts, const bench_env& env);

/// create_kernels vs the Engine API create+start of the same containers.
report run_create(const bench_options& opts, const bench_env& env);

/// check_and_pull until ImagePullFinished vs the engine's own pull.
report run_pull(const bench_options& opts, const bench_env& env);

/// Upload and download through the agent vs a plain file copy on the same disk.
report run_files(const bench_options& opts, const bench_env& env);

/// Sessions per second through the launcher with instant agents.
report run_launcher(const bench_options& opts, const bench_env& env);

/// Sessions per second through the whole manager, create_session to RUNNING, with agents that
/// answer at once; the store in memory and on a WAL file.
report run_manager(const bench_options& opts, const bench_env& env);

} // namespace baikal::bench
