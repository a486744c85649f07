#pragma once

/// `baikal_api_requests_total{route,code}`: the API's own part of `/metrics`.

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace baikal {

class api_request_counters {
public:
  /// Counts one answered request; thread-safe.
  void count(const std::string& route, int status);

  /// The counters in Prometheus text format, with their HELP and TYPE lines.
  std::string prometheus_text() const;

private:
  mutable std::mutex mtx_;
  std::map<std::pair<std::string, int>, uint64_t> counts_;
};

/// Escapes a Prometheus label value (backslash, double quote, newline).
std::string prometheus_label(const std::string& value);

} // namespace baikal
