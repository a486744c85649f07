#include "tools/baikal-sim/sim_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include "messages/status_types.hpp"

namespace baikal::sim {

namespace {

double mib(uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

double growth_per_session(const sim_figures& f, uint64_t before, uint64_t after) {
  if (f.sessions == 0 || after < before)
    return 0;
  return static_cast<double>(after - before) / static_cast<double>(f.sessions);
}

double per_session_bytes(const sim_figures& f) {
  return growth_per_session(f, f.rss_before, f.rss_after);
}

double heap_per_session_bytes(const sim_figures& f) {
  return growth_per_session(f, f.heap_before, f.heap_after);
}

double idle_heap_per_session_bytes(const sim_figures& f) {
  return growth_per_session(f, f.heap_before, f.heap_idle);
}

double idle_rss_per_session_bytes(const sim_figures& f) {
  return growth_per_session(f, f.rss_before, f.rss_idle);
}

std::string fmt(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

struct latency_summary {
  double p50, p90, p99, max;
};

latency_summary summarize(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return {percentile(xs, 0.5), percentile(xs, 0.9), percentile(xs, 0.99),
          xs.empty() ? 0 : xs.back()};
}

/// One line per process: the manager's, then each child hosting agents.
void print_processes(std::ostream& out, const std::vector<process_figures>& procs) {
  out << "  processes (peak RSS, CPU over the process's life)\n";
  for (auto& p : procs) {
    char line[160];
    std::snprintf(
        line, sizeof line, "    %-16s pid %-8lld %6zu agents  peak RSS %8.1f MiB  CPU %8.3f s\n",
        p.role.c_str(), static_cast<long long>(p.pid), p.agents, mib(p.peak_rss), p.cpu_s);
    out << line;
  }
}

} // namespace

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

void print_table(std::ostream& out, const sim_figures& f) {
  auto lat = summarize(f.latencies_ms);
  out << "baikal-sim";
  for (auto& p : f.parameters)
    out << ' ' << p.first << '=' << p.second;
  out << "\n";
  auto row = [&](const std::string& name, const std::string& value) {
    out << "  " << name << std::string(name.size() < 40 ? 40 - name.size() : 1, ' ') << value
        << "\n";
  };
  row("sessions", std::to_string(f.sessions));
  row("sessions RUNNING", std::to_string(f.running));
  row("time to send every create (s)", fmt("%.3f", f.sending_s));
  row("time to the last RUNNING (s)", fmt("%.3f", f.to_running_s));
  row("sessions/s to RUNNING (wall)",
      fmt("%.0f", f.to_running_s > 0 ? f.running / f.to_running_s : 0));
  row("process CPU (s)", fmt("%.3f", f.cpu_s));
  row("sessions per CPU-second", fmt("%.0f", f.cpu_s > 0 ? f.sessions / f.cpu_s : 0));
  row("time until all settled (s)", fmt("%.3f", f.wall_s));
  row("launch latency p50 (ms)", fmt("%.2f", lat.p50));
  row("launch latency p90 (ms)", fmt("%.2f", lat.p90));
  row("launch latency p99 (ms)", fmt("%.2f", lat.p99));
  row("launch latency max (ms)", fmt("%.2f", lat.max));
  row("peak RSS (MiB)", fmt("%.1f", mib(f.peak_rss)));
  row("RSS before / after the sessions (MiB)",
      fmt("%.1f", mib(f.rss_before)) + " / " + fmt("%.1f", mib(f.rss_after)));
  row("RSS growth per session (bytes)", fmt("%.0f", per_session_bytes(f)));
  row("heap in use growth per session (bytes)", fmt("%.0f", heap_per_session_bytes(f)));
  if (f.idle_wait_s > 0) {
    auto after = fmt("%.0f", f.idle_wait_s) + " s idle";
    row("RSS growth per session, " + after, fmt("%.0f", idle_rss_per_session_bytes(f)));
    row("heap growth per session, " + after, fmt("%.0f", idle_heap_per_session_bytes(f)));
    row("sessions parked, " + after, std::to_string(f.parked_idle));
  }
  for (auto& s : f.checks.statuses)
    row("status " + s.first, std::to_string(s.second));
  for (auto& e : f.checks.errors_by_name)
    row("failures " + (e.first.empty() ? std::string{"(no error info)"} : e.first),
        std::to_string(e.second));
  for (auto& i : f.injected)
    row("agents " + i.first, std::to_string(i.second));
  row("injected failures seen / expected", std::to_string(f.checks.injected_failures_seen) + " / " +
                                               std::to_string(f.checks.expected_failures));
  if (f.checks.failing_capacity_share > 0) {
    row("sessions placed on failing agents",
        std::to_string(f.checks.placed_on_failing) + " (" +
            fmt("%.3f", 100 * f.checks.placed_on_failing_share) + " %; their capacity " +
            fmt("%.3f", 100 * f.checks.failing_capacity_share) + " %)");
  }
  auto error = to_string(session_status::error);
  auto errors = f.checks.statuses.count(error) ? f.checks.statuses.at(error) : 0;
  row("sessions ERROR", std::to_string(errors) + " (" +
                            fmt("%.3f", f.sessions ? 100.0 * errors / f.sessions : 0) + " %)");
  print_processes(out, f.processes);
  out << (f.checks.problems.empty() ? "check: OK\n" : "check: FAILED\n");
  for (auto& p : f.checks.problems)
    out << "  " << p << "\n";
}

void print_json(std::ostream& out, const sim_figures& f) {
  auto lat = summarize(f.latencies_ms);
  rapidjson::OStreamWrapper os{out};
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w{os};
  w.StartObject();
  w.Key("parameters");
  w.StartObject();
  for (auto& p : f.parameters) {
    w.Key(p.first.c_str());
    w.String(p.second.c_str());
  }
  w.EndObject();
  auto num = [&](const char* k, double v) {
    w.Key(k);
    w.Double(v);
  };
  num("sessions", static_cast<double>(f.sessions));
  num("running", static_cast<double>(f.running));
  num("sending_s", f.sending_s);
  num("to_running_s", f.to_running_s);
  num("sessions_per_s", f.to_running_s > 0 ? f.running / f.to_running_s : 0);
  num("cpu_s", f.cpu_s);
  num("sessions_per_cpu_s", f.cpu_s > 0 ? f.sessions / f.cpu_s : 0);
  num("settled_s", f.wall_s);
  num("latency_p50_ms", lat.p50);
  num("latency_p90_ms", lat.p90);
  num("latency_p99_ms", lat.p99);
  num("latency_max_ms", lat.max);
  num("peak_rss_mib", mib(f.peak_rss));
  num("rss_before_mib", mib(f.rss_before));
  num("rss_after_mib", mib(f.rss_after));
  num("rss_growth_per_session_bytes", per_session_bytes(f));
  num("heap_growth_per_session_bytes", heap_per_session_bytes(f));
  if (f.idle_wait_s > 0) {
    num("idle_wait_s", f.idle_wait_s);
    num("idle_rss_growth_per_session_bytes", idle_rss_per_session_bytes(f));
    num("idle_heap_growth_per_session_bytes", idle_heap_per_session_bytes(f));
    num("sessions_parked_after_idle_wait", static_cast<double>(f.parked_idle));
  }
  w.Key("statuses");
  w.StartObject();
  for (auto& s : f.checks.statuses) {
    w.Key(s.first.c_str());
    w.Uint64(s.second);
  }
  w.EndObject();
  w.Key("failures_by_name");
  w.StartObject();
  for (auto& e : f.checks.errors_by_name) {
    w.Key(e.first.c_str());
    w.Uint64(e.second);
  }
  w.EndObject();
  num("injected_failures_expected", static_cast<double>(f.checks.expected_failures));
  num("injected_failures_seen", static_cast<double>(f.checks.injected_failures_seen));
  num("placed_on_failing", static_cast<double>(f.checks.placed_on_failing));
  num("placed_on_failing_share", f.checks.placed_on_failing_share);
  num("failing_capacity_share", f.checks.failing_capacity_share);
  w.Key("injected_agents");
  w.StartObject();
  for (auto& i : f.injected) {
    w.Key(i.first.c_str());
    w.Uint64(i.second);
  }
  w.EndObject();
  w.Key("processes");
  w.StartArray();
  for (auto& p : f.processes) {
    w.StartObject();
    w.Key("role");
    w.String(p.role.c_str());
    w.Key("pid");
    w.Int64(p.pid);
    num("agents", static_cast<double>(p.agents));
    num("peak_rss_mib", mib(p.peak_rss));
    num("cpu_s", p.cpu_s);
    w.EndObject();
  }
  w.EndArray();
  w.Key("problems");
  w.StartArray();
  for (auto& p : f.checks.problems)
    w.String(p.c_str());
  w.EndArray();
  w.EndObject();
  out << "\n";
}

} // namespace baikal::sim
