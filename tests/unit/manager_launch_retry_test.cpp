// A broken agent is not a black hole: a session whose kernels failed for reasons of their agent's
// own is placed again on another agent, and an agent whose creations keep failing is quarantined
// (shown in /v1/agents and /metrics) until a probe succeeds. Failures that would happen on any
// agent (a missing image) end the session at once.

#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "support/manager_fixture.hpp"
#include "support/metric_value.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

void fail_creates(const fake_agent_log_ptr& log, errc code, const std::string& message) {
  log->with([&](fake_agent_log& l) { l.fail<op::create_kernels>(make_error(code, message)); });
}

size_t creates_on(const fake_agent_log_ptr& log) {
  return log->with([](fake_agent_log& l) { return l.creates; });
}

/// The agent ids of status_data's "attempts", in order.
std::vector<std::string> attempt_agents(const std::string& status_data) {
  rapidjson::Document doc;
  doc.Parse(status_data.c_str());
  std::vector<std::string> out;
  if (!doc.IsObject() || !doc.HasMember("attempts") || !doc["attempts"].IsArray())
    return out;
  for (auto& a : doc["attempts"].GetArray())
    out.push_back(a.HasMember("agent_id") ? a["agent_id"].GetString() : "");
  return out;
}

agent_quarantine_view quarantine_of(manager_fixture& f, const agent_id& id) {
  auto agents = f.ask<std::vector<agent_view>>(f.m.front, api::list_agents{});
  REQUIRE_MESSAGE(agents, why(agents));
  for (auto& a : *agents)
    if (a.record.id == id)
      return a.quarantine;
  FAIL("no agent " << id);
  return {};
}

std::string metrics(manager_fixture& f) {
  auto text = f.ask<std::string>(f.m.front, api::get_metrics{});
  REQUIRE_MESSAGE(text, why(text));
  return *text;
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "launch retry: a session whose agent fails its kernels for "
                                   "reasons of its own runs on another agent, and its "
                                   "status_data lists the failed attempt") {
  start();
  auto a1 = join("a1");
  auto a2 = join("a2");
  fail_creates(a1, errc::agent_error, "no space left on device");
  auto id = create(request());
  REQUIRE(reaches(id, "RUNNING"));
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(rec->kernels.at(0).agent == "a2");
  CHECK(creates_on(a1) == 1);
  CHECK(attempt_agents(rec->status_data) == std::vector<std::string>{"a1"});
  CHECK(rec->status_data.find("no space left on device") != std::string::npos);
  CHECK(rec->status_data.find("\"error\"") == std::string::npos); // it did not fail
  auto s = statuses(id);
  CHECK(std::count(s.begin(), s.end(), "PENDING") == 2);
  CHECK(std::count(s.begin(), s.end(), "CREATING") == 2);
  bool told = false;
  for (auto& change : history(id))
    told = told || change.reason.find("placing the session again") != std::string::npos;
  CHECK(told);
  CHECK(metric_value(metrics(*this), "baikal_session_launch_retries_total") == 1);
}

TEST_CASE_FIXTURE(manager_fixture, "launch retry: a session failing on every agent ends ERROR "
                                   "after launch_retries + 1 attempts, each on another agent, "
                                   "with every attempt's error") {
  settings.launch_retries = 2;
  start();
  std::vector<fake_agent_log_ptr> logs;
  for (auto name : {"a1", "a2", "a3", "a4"}) {
    logs.push_back(join(name));
    fail_creates(logs.back(), errc::agent_error, std::string{"engine of "} + name + " refused");
  }
  auto id = create(request());
  REQUIRE(reaches(id, "ERROR"));
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(attempt_agents(rec->status_data) == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(rec->status_data.find("\"error\"") != std::string::npos);
  for (auto name : {"a1", "a2", "a3"})
    CHECK(rec->status_data.find(std::string{"engine of "} + name + " refused") !=
          std::string::npos);
  CHECK(creates_on(logs[3]) == 0);
  CHECK(history(id).back().reason.find("attempt 3 of 3") != std::string::npos);
}

TEST_CASE_FIXTURE(manager_fixture, "launch retry: a missing image fails the session at once, "
                                   "without another placement") {
  start();
  auto a1 = join("a1");
  auto a2 = join("a2");
  fail_creates(a1, errc::not_found, "image x is not on this agent and auto-pull is none");
  auto id = create(request());
  REQUIRE(reaches(id, "ERROR"));
  CHECK(creates_on(a2) == 0);
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(attempt_agents(rec->status_data).empty());
  CHECK(quarantine_of(*this, "a1").failures == 0);
}

TEST_CASE_FIXTURE(manager_fixture, "launch retry: with one agent, the session is tried there "
                                   "again rather than left waiting") {
  settings.launch_retries = 1;
  start();
  auto a1 = join("a1");
  fail_creates(a1, errc::agent_error, "runner did not answer");
  auto id = create(request());
  REQUIRE(reaches(id, "ERROR"));
  CHECK(creates_on(a1) == 2);
}

TEST_CASE_FIXTURE(manager_fixture, "quarantine: an agent failing three creations in a row takes "
                                   "no sessions, shows why and for how long in /v1/agents and "
                                   "/metrics, and a successful probe after the back-off clears "
                                   "it") {
  settings.launch_retries = 0;
  settings.quarantine.failures_until_quarantine = 3;
  settings.quarantine.first_backoff = 3s;
  start();
  auto a1 = join("a1");
  fail_creates(a1, errc::agent_error, "no space left on device");
  for (int i = 0; i < 3; ++i)
    REQUIRE(reaches(create(request()), "ERROR"));
  auto q = quarantine_of(*this, "a1");
  CHECK(q.failures == 3);
  CHECK(q.reason.find("no space left on device") != std::string::npos);
  if (q.state == "quarantined") { // unless the back-off passed already on a slow machine
    CHECK(q.remaining_ms > 0);
    CHECK(q.remaining_ms <= 3000);
    CHECK(metric_value(metrics(*this), "baikal_agents_quarantined{state=\"quarantined\"}") == 1);
    CHECK(metrics(*this).find("baikal_agent_quarantine_seconds_left{agent=\"a1\","
                              "state=\"quarantined\",reason=\"") != std::string::npos);
  }
  CHECK(metric_value(metrics(*this), "baikal_agent_quarantines_total") == 1);
  // A healthy agent joins: sessions go there while a1's back-off lasts; it holds one kernel.
  auto a2 = join("a2", {{"cpu", 1}, {"mem", 8e9}});
  auto on_a2 = create(request());
  REQUIRE(reaches(on_a2, "RUNNING"));
  CHECK(get(on_a2)->kernels.at(0).agent == "a2");
  // a1 is fixed; once its back-off is over, the next session (a2 is full) is its probe.
  a1->with([](fake_agent_log& l) { l.fail<op::create_kernels>(caf::error{}); });
  REQUIRE(eventually([&] { return quarantine_of(*this, "a1").state == "probing"; }, 10s));
  auto probe = create(request());
  REQUIRE(reaches(probe, "RUNNING"));
  CHECK(get(probe)->kernels.at(0).agent == "a1");
  CHECK(eventually([&] { return quarantine_of(*this, "a1").state == "clear"; }, 10s));
  CHECK(quarantine_of(*this, "a1").failures == 0);
  CHECK(metric_value(metrics(*this), "baikal_agents_quarantined{state=\"quarantined\"}") == 0);
  CHECK(metric_value(metrics(*this), "baikal_agents_quarantined{state=\"probing\"}") == 0);
}

TEST_CASE_FIXTURE(manager_fixture, "quarantine: while quarantined an agent takes no session even "
                                   "when it is the only one with room, they wait PENDING") {
  settings.launch_retries = 0;
  settings.quarantine.first_backoff = 600s;
  start();
  auto a1 = join("a1");
  fail_creates(a1, errc::agent_error, "engine down");
  for (int i = 0; i < 3; ++i)
    REQUIRE(reaches(create(request()), "ERROR"));
  CHECK(quarantine_of(*this, "a1").state == "quarantined");
  auto waiting = create(request());
  CHECK(eventually([&] {
    auto h = history(waiting);
    return h.size() >= 2 && h.back().reason.find("1 agent is quarantined") != std::string::npos;
  }));
  CHECK(status_of(waiting) == "PENDING");
  CHECK(creates_on(a1) == 3);
}
