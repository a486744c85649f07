#pragma once

/// A latency distribution for a simulated operation: a fixed value, `uniform:A-B` or
/// `exp:MEAN` (milliseconds). Each simulated agent draws from its own generator.

#include <chrono>
#include <random>
#include <string>

#include <caf/expected.hpp>

namespace baikal::sim {

struct latency {
  enum class kind { fixed, uniform, exponential };
  kind shape = kind::fixed;
  double a = 0; ///< fixed value, uniform low bound, or exponential mean (ms)
  double b = 0; ///< uniform high bound (ms)

  bool is_zero() const { return shape == kind::fixed && a <= 0; }
  std::chrono::microseconds draw(std::mt19937_64& rng) const;
};

/// Parses "5", "uniform:1-10" or "exp:3".
caf::expected<latency> parse_latency(const std::string& text);

std::string to_string(const latency& x);

} // namespace baikal::sim
