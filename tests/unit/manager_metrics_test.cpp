// The manager's /metrics text: sessions and agents by status, the launch latency histogram and
// the pull counters, in Prometheus' text format.

#include <doctest/doctest.h>

#include "actors/manager/manager_metrics.hpp"

using namespace baikal;

TEST_CASE("manager metrics: counts, histogram buckets and pulls render as Prometheus text") {
  manager_metrics m;
  m.session_moved(caf::none, session_status::pending);
  m.session_moved(caf::none, session_status::pending);
  m.session_moved(session_status::pending, session_status::running);
  m.agents_by_status[agent_status::alive] = 2;
  m.launch_latency.observe(0.3);
  m.launch_latency.observe(4);
  event_counters events;
  events.pulls_finished = 3;
  auto text = render_prometheus(m, events);
  CHECK(text.find("# TYPE baikal_sessions gauge") != std::string::npos);
  CHECK(text.find("baikal_sessions{status=\"PENDING\"} 1\n") != std::string::npos);
  CHECK(text.find("baikal_sessions{status=\"RUNNING\"} 1\n") != std::string::npos);
  CHECK(text.find("baikal_sessions{status=\"ERROR\"} 0\n") != std::string::npos);
  CHECK(text.find("baikal_agents{status=\"ALIVE\"} 2\n") != std::string::npos);
  CHECK(text.find("baikal_agents{status=\"LOST\"} 0\n") != std::string::npos);
  CHECK(text.find("baikal_session_launch_seconds_bucket{le=\"0.1\"} 0\n") != std::string::npos);
  CHECK(text.find("baikal_session_launch_seconds_bucket{le=\"0.5\"} 1\n") != std::string::npos);
  CHECK(text.find("baikal_session_launch_seconds_bucket{le=\"5\"} 2\n") != std::string::npos);
  CHECK(text.find("baikal_session_launch_seconds_bucket{le=\"+Inf\"} 2\n") != std::string::npos);
  CHECK(text.find("baikal_session_launch_seconds_count 2\n") != std::string::npos);
  CHECK(text.find("baikal_image_pulls_total{phase=\"finished\"} 3\n") != std::string::npos);
}
