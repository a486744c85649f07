#pragma once

/// How long an agent waits before its next attempt to reach the manager: exponential in the
/// number of failures in a row, capped, and jittered so that agents cut off together (manager
/// restart, switch reboot) do not all come back in the same instant.

#include <chrono>
#include <cstdint>

namespace baikal {

struct backoff_policy {
  std::chrono::milliseconds initial{500};
  /// While the manager cannot be reached an attempt fails in milliseconds, so the delay reaches
  /// its cap within seconds: the cap is how late an agent comes back after a partition heals.
  std::chrono::milliseconds cap{10000};
  double factor = 2.0;
  double jitter = 0.2; ///< the delay varies by up to this fraction, either way
};

/// The delay before attempt `failures` + 1, where `failures` counts the failed attempts in a row
/// (0 right after losing a working link). `unit` is a uniform random number in [0, 1): 0.5 gives
/// the nominal delay, 0 and 1 its lower and upper jitter bounds. The result never exceeds
/// cap * (1 + jitter) and never drops below 1 ms.
std::chrono::milliseconds backoff_delay(const backoff_policy& policy, uint32_t failures,
                                        double unit);

} // namespace baikal
