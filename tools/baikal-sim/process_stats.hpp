#pragma once

/// What the process costs: resident memory now and at its peak, and CPU time, from /proc.

#include <cstddef>
#include <cstdint>
#include <string>

namespace baikal::sim {

/// VmRSS and VmHWM of /proc/self/status in bytes (0 when unreadable).
uint64_t resident_bytes();
uint64_t peak_resident_bytes();

/// Bytes malloc has handed out and not had back (jemalloc's or glibc's count): unlike RSS, this
/// leaves out freed memory the allocator keeps for reuse after a burst.
uint64_t heap_in_use_bytes();

/// Writes jemalloc's heap profile to `path`; false (and nothing written) when the process runs
/// without jemalloc or without MALLOC_CONF=prof:true.
bool dump_heap_profile(const std::string& path);

/// User plus system CPU seconds of the whole process.
double process_cpu_seconds();

/// One process of a run (the manager's, or a child hosting agents) and what it cost.
struct process_figures {
  std::string role; ///< "manager" or "agent-host K"
  int64_t pid = 0;
  size_t agents = 0; ///< simulated agents it hosts
  uint64_t peak_rss = 0;
  double cpu_s = 0; ///< over its whole life
};

/// This process's figures now.
process_figures this_process(std::string role, size_t agents);

} // namespace baikal::sim
