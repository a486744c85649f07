#include "tools/baikal-sim/host_report.hpp"

#include <cstdio>

#include "runtime/checks/numbers.hpp"

namespace baikal::sim {

namespace {

constexpr const char* prefix = "baikal-sim-host ";

/// The text after the protocol prefix and `word`, or none when the line is something else.
caf::optional<std::string> body_of(const std::string& line, const std::string& word) {
  auto head = prefix + word + " ";
  if (line.rfind(head, 0) != 0)
    return caf::none;
  return line.substr(head.size());
}

} // namespace

std::string ready_line(size_t agents) {
  return prefix + std::string{"ready "} + std::to_string(agents);
}

caf::optional<size_t> parse_ready_line(const std::string& line) {
  auto body = body_of(line, "ready");
  if (!body)
    return caf::none;
  auto n = checks::parse_unsigned(*body);
  if (!n)
    return caf::none;
  return static_cast<size_t>(*n);
}

std::string report_line(const process_figures& p) {
  char cpu[32];
  std::snprintf(cpu, sizeof cpu, "%.3f", p.cpu_s);
  return prefix + std::string{"report pid="} + std::to_string(p.pid) +
         " agents=" + std::to_string(p.agents) + " peak_rss=" + std::to_string(p.peak_rss) +
         " cpu_s=" + cpu;
}

caf::optional<process_figures> parse_report_line(const std::string& line) {
  auto body = body_of(line, "report");
  if (!body)
    return caf::none;
  process_figures out;
  char rest = 0;
  unsigned long long agents = 0, peak = 0;
  long long pid = 0;
  if (std::sscanf(body->c_str(), "pid=%lld agents=%llu peak_rss=%llu cpu_s=%lf%c", &pid, &agents,
                  &peak, &out.cpu_s, &rest) != 4)
    return caf::none;
  out.pid = pid;
  out.agents = agents;
  out.peak_rss = peak;
  return out;
}

} // namespace baikal::sim
