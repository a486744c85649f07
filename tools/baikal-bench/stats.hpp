#pragma once

/// Summaries of measured samples: the figures every benchmark prints.

#include <cstddef>
#include <vector>

namespace baikal::bench {

/// What a set of samples (seconds, or any unit) comes to.
struct summary {
  size_t count = 0;
  double min = 0;
  double median = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};

/// The `q`-quantile (0..1) of `sorted` by the nearest-rank method: the smallest sample with at
/// least q of the samples at or below it. 0 for an empty vector.
double quantile(const std::vector<double>& sorted, double q);

/// Count, min, median, p99, max and mean of `samples` (any order).
summary summarize(std::vector<double> samples);

/// a / b, or 0 when b is 0 (a figure that could not be measured).
double ratio(double a, double b);

} // namespace baikal::bench
