#include "actors/manager/manager_metrics.hpp"

#include <sstream>

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

void manager_metrics::session_moved(caf::optional<session_status> from, session_status to) {
  sessions->moved(from, to);
}

namespace {

/// `text` as a Prometheus label value: backslash, double quote and newline escaped.
std::string label_value(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void render_quarantine(std::ostream& out, const manager_metrics& m,
                       const std::vector<std::pair<std::string, quarantine_status>>& held) {
  size_t quarantined = 0;
  for (auto& entry : held)
    quarantined += entry.second.phase == quarantine_phase::quarantined ? 1 : 0;
  out << "# HELP baikal_agents_quarantined Agents kept from new sessions because their kernel "
         "creations kept failing, by state (probing: the next session is the probe).\n"
         "# TYPE baikal_agents_quarantined gauge\n"
      << "baikal_agents_quarantined{state=\"quarantined\"} " << quarantined << '\n'
      << "baikal_agents_quarantined{state=\"probing\"} " << held.size() - quarantined << '\n';
  out << "# HELP baikal_agent_quarantine_seconds_left Seconds until a quarantined agent may take "
         "its probe, with the last failure as its reason.\n"
         "# TYPE baikal_agent_quarantine_seconds_left gauge\n";
  for (auto& [agent, q] : held)
    out << "baikal_agent_quarantine_seconds_left{agent=\"" << label_value(agent) << "\",state=\""
        << to_string(q.phase) << "\",reason=\"" << label_value(q.reason.substr(0, 200)) << "\"} "
        << static_cast<double>(q.remaining_ms) / 1000.0 << '\n';
  out << "# HELP baikal_agent_quarantines_total Times an agent was quarantined.\n"
         "# TYPE baikal_agent_quarantines_total counter\n"
      << "baikal_agent_quarantines_total " << m.quarantines << '\n';
  out << "# HELP baikal_session_launch_retries_total Sessions placed again after agents failed "
         "their kernels for reasons of their own.\n"
         "# TYPE baikal_session_launch_retries_total counter\n"
      << "baikal_session_launch_retries_total " << m.launch_retries << '\n';
}

} // namespace

std::string render_prometheus(const manager_metrics& m, const event_counters& events,
                              const std::vector<std::pair<std::string, quarantine_status>>& held) {
  std::ostringstream out;
  out << "# HELP baikal_sessions Sessions by status.\n# TYPE baikal_sessions gauge\n";
  // Every status is listed, zero or not, so a dashboard sees a series from the start.
  for (auto status : all_session_statuses) {
    auto n = m.sessions->count(status);
    out << "baikal_sessions{status=\"" << to_string(status) << "\"} " << n << '\n';
  }
  out << "# HELP baikal_sessions_parked RUNNING sessions parked while idle (no actor until "
         "they are asked for something).\n# TYPE baikal_sessions_parked gauge\n"
      << "baikal_sessions_parked " << m.parked_sessions << '\n';
  out << "# HELP baikal_agents Agents by status.\n# TYPE baikal_agents gauge\n";
  for (auto status : {agent_status::alive, agent_status::lost}) {
    auto n = m.agents_by_status.count(status) ? m.agents_by_status.at(status) : 0;
    out << "baikal_agents{status=\"" << to_string(status) << "\"} " << n << '\n';
  }
  out << "# HELP baikal_agents_unhealthy ALIVE agents that take no new kernels because their "
         "Docker engine does not answer.\n# TYPE baikal_agents_unhealthy gauge\n"
      << "baikal_agents_unhealthy " << m.unhealthy_agents << '\n';
  out << "# HELP baikal_agents_drained Agents an operator drained: they take no new kernels.\n"
         "# TYPE baikal_agents_drained gauge\n"
      << "baikal_agents_drained " << m.drained_agents << '\n';
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
  render_quarantine(out, m, held);
  out << "# HELP baikal_kernel_events_total Kernel lifecycle events received from agents.\n"
         "# TYPE baikal_kernel_events_total counter\n"
      << "baikal_kernel_events_total " << events.kernel_events.load() << '\n';
  out << "# HELP baikal_agent_event_repeats_total Events agents sent again after a reconnection "
         "that had arrived already (dropped).\n"
         "# TYPE baikal_agent_event_repeats_total counter\n"
      << "baikal_agent_event_repeats_total " << events.event_repeats.load() << '\n';
  return out.str();
}

} // namespace baikal
