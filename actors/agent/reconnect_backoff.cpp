#include "actors/agent/reconnect_backoff.hpp"

#include <algorithm>
#include <cmath>

namespace baikal {

std::chrono::milliseconds backoff_delay(const backoff_policy& policy, uint32_t failures,
                                        double unit) {
  auto initial = static_cast<double>(policy.initial.count());
  auto cap = static_cast<double>(policy.cap.count());
  // pow overflows to infinity for large exponents; min() then picks the cap.
  auto nominal = std::min(cap, initial * std::pow(std::max(policy.factor, 1.0), failures));
  auto spread = std::clamp(policy.jitter, 0.0, 1.0);
  auto u = std::clamp(unit, 0.0, 1.0);
  auto delay = nominal * (1.0 + spread * (2.0 * u - 1.0));
  return std::chrono::milliseconds{std::max<int64_t>(1, std::llround(delay))};
}

} // namespace baikal
