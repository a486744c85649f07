#pragma once

/// Reads one sample of the manager's Prometheus text (api::get_metrics).

#include <string>

namespace baikal::test {

/// The value of the sample line starting with `name` (and a space); -1 when there is none.
inline long metric_value(const std::string& text, const std::string& name) {
  auto line = "\n" + name + " ";
  auto at = text.find(line);
  return at == std::string::npos ? -1 : std::stol(text.substr(at + line.size()));
}

} // namespace baikal::test
