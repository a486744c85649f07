#include "actors/manager/http/api_metrics.hpp"

namespace baikal {

void api_request_counters::count(const std::string& route, int status) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++counts_[{route, status}];
}

std::string api_request_counters::prometheus_text() const {
  std::string out = "# HELP baikal_api_requests_total HTTP API requests answered, by route and "
                    "status code.\n# TYPE baikal_api_requests_total counter\n";
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [key, n] : counts_)
    out += "baikal_api_requests_total{route=\"" + prometheus_label(key.first) + "\",code=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  return out;
}

std::string prometheus_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"')
      out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

} // namespace baikal
