#pragma once

/// Wall-clock and CPU time for the benchmarks.

#include <sys/resource.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace baikal::bench {

using bench_clock = std::chrono::steady_clock;

inline double seconds_since(bench_clock::time_point start) {
  return std::chrono::duration<double>(bench_clock::now() - start).count();
}

/// User + system CPU seconds this process has used so far (every thread).
inline double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

/// Peak resident set size of this process in MiB.
inline double peak_rss_mib() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

/// Runs `fn()` `n` times and answers each call's duration in seconds. `fn` returns an empty
/// string on success, else what went wrong: the benchmark stops there (a wrong answer measured
/// fast is no figure).
template <class Fn> std::vector<double> time_each(size_t n, Fn&& fn) {
  std::vector<double> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto start = bench_clock::now();
    auto problem = fn();
    out.push_back(seconds_since(start));
    if (!problem.empty())
      throw std::runtime_error(problem);
  }
  return out;
}

} // namespace baikal::bench
