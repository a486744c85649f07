#include "actors/manager/manager_metrics.hpp"

#include <sstream>

#include "actors/manager/session_status.hpp"

namespace baikal {

void histogram::observe(double value) {
  for (size_t i = 0; i < bounds.size(); ++i)
    if (value <= bounds[i]) {
      ++counts[i];
      break;
    }
  sum += value;
  ++count;
}

void manager_metrics::session_moved(const std::string& from, const std::string& to) {
  if (from == to)
    return;
  if (!from.empty()) {
    auto i = sessions_by_status.find(from);
    if (i != sessions_by_status.end() && i->second > 0)
      --i->second;
  }
  ++sessions_by_status[to];
}

std::string render_prometheus(const manager_metrics& m, const event_counters& events) {
  std::ostringstream out;
  out << "# HELP baikal_sessions Sessions by status.\n# TYPE baikal_sessions gauge\n";
  // Every status is listed, zero or not, so a dashboard sees a series from the start.
  for (int i = 0; i <= static_cast<int>(session_status::error); ++i) {
    auto name = to_string(static_cast<session_status>(i));
    auto n = m.sessions_by_status.count(name) ? m.sessions_by_status.at(name) : 0;
    out << "baikal_sessions{status=\"" << name << "\"} " << n << '\n';
  }
  out << "# HELP baikal_sessions_parked RUNNING sessions parked while idle (no actor until "
         "they are asked for something).\n# TYPE baikal_sessions_parked gauge\n"
      << "baikal_sessions_parked " << m.parked_sessions << '\n';
  out << "# HELP baikal_agents Agents by status.\n# TYPE baikal_agents gauge\n";
  for (auto name : {"ALIVE", "LOST"}) {
    auto n = m.agents_by_status.count(name) ? m.agents_by_status.at(name) : 0;
    out << "baikal_agents{status=\"" << name << "\"} " << n << '\n';
  }
  out << "# HELP baikal_agents_unhealthy ALIVE agents that take no new kernels because their "
         "Docker engine does not answer.\n# TYPE baikal_agents_unhealthy gauge\n"
      << "baikal_agents_unhealthy " << m.unhealthy_agents << '\n';
  auto& h = m.launch_latency;
  out << "# HELP baikal_session_launch_seconds Time from a session's creation to RUNNING.\n"
         "# TYPE baikal_session_launch_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.bounds.size(); ++i) {
    cumulative += h.counts[i];
    out << "baikal_session_launch_seconds_bucket{le=\"" << h.bounds[i] << "\"} " << cumulative
        << '\n';
  }
  out << "baikal_session_launch_seconds_bucket{le=\"+Inf\"} " << h.count << '\n'
      << "baikal_session_launch_seconds_sum " << h.sum << '\n'
      << "baikal_session_launch_seconds_count " << h.count << '\n';
  out << "# HELP baikal_image_pulls_total Image pulls reported by agents, by outcome.\n"
         "# TYPE baikal_image_pulls_total counter\n"
      << "baikal_image_pulls_total{phase=\"started\"} " << events.pulls_started.load() << '\n'
      << "baikal_image_pulls_total{phase=\"finished\"} " << events.pulls_finished.load() << '\n'
      << "baikal_image_pulls_total{phase=\"failed\"} " << events.pulls_failed.load() << '\n';
  out << "# HELP baikal_kernel_events_total Kernel lifecycle events received from agents.\n"
         "# TYPE baikal_kernel_events_total counter\n"
      << "baikal_kernel_events_total " << events.kernel_events.load() << '\n';
  return out.str();
}

} // namespace baikal
