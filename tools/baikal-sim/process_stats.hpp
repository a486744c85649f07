#pragma once

/// What the process costs: resident memory now and at its peak, and CPU time, from /proc.

#include <cstdint>

namespace baikal::sim {

/// VmRSS and VmHWM of /proc/self/status in bytes (0 when unreadable).
uint64_t resident_bytes();
uint64_t peak_resident_bytes();

/// User plus system CPU seconds of the whole process.
double process_cpu_seconds();

} // namespace baikal::sim
