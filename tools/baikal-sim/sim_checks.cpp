#include "tools/baikal-sim/sim_checks.hpp"

#include <cstdio>

#include <rapidjson/document.h>

#include "messages/status_types.hpp"

namespace baikal::sim {

namespace {

/// Problems are listed one by one up to this many, then counted.
constexpr size_t listed_problems = 20;

void note(check_result& out, size_t& count, std::string line) {
  if (++count <= listed_problems)
    out.problems.push_back(std::move(line));
}

/// The worst fault among the agents session `rec` was placed on.
agent_fault placed_fault(const session_record& rec, const std::map<agent_id, agent_fault>& faults,
                         agent_id& culprit) {
  agent_fault worst = agent_fault::none;
  for (auto& k : rec.spec.kernels) {
    auto i = faults.find(k.agent);
    if (i == faults.end())
      continue;
    if (i->second == agent_fault::fails_create ||
        (i->second == agent_fault::hangs && worst != agent_fault::fails_create) ||
        (i->second == agent_fault::silent && worst == agent_fault::none)) {
      worst = i->second;
      culprit = k.agent;
    }
  }
  return worst;
}

} // namespace

std::string error_name_of(const std::string& status_data) {
  if (status_data.empty())
    return "";
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(status_data.c_str(), status_data.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error") ||
      !doc["error"].IsObject() || !doc["error"].HasMember("name") ||
      !doc["error"]["name"].IsString())
    return "";
  return doc["error"]["name"].GetString();
}

check_result check_sessions(const std::vector<session_outcome>& outcomes,
                            const std::map<agent_id, agent_fault>& faults, size_t refused) {
  check_result out;
  size_t count = 0;
  if (refused > 0)
    note(out, count, std::to_string(refused) + " create_session requests were refused");
  for (auto& o : outcomes) {
    if (!o.record) {
      ++out.statuses[lost_session_key];
      note(out, count, "session " + o.id + " is lost: " + o.lookup_error);
      continue;
    }
    auto& rec = *o.record;
    ++out.statuses[to_string(rec.status)];
    bool final_or_running = rec.status == session_status::running || is_terminal(rec.status);
    if (!final_or_running) {
      note(out, count, "session " + o.id + " is stuck in " + to_string(rec.status));
      continue;
    }
    if (rec.status == session_status::error)
      ++out.errors_by_name[error_name_of(rec.status_data)];
    agent_id culprit;
    auto fault = placed_fault(rec, faults, culprit);
    if (fault == agent_fault::fails_create || fault == agent_fault::hangs) {
      ++out.expected_failures;
      bool named =
          rec.status_data.find(culprit) != std::string::npos || fault == agent_fault::hangs;
      if (rec.status != session_status::error)
        note(out, count,
             "session " + o.id + " on " + to_string(fault) + " agent " + culprit + " is " +
                 to_string(rec.status) + ", expected ERROR");
      else if (error_name_of(rec.status_data).empty() || !named)
        note(out, count,
             "session " + o.id + " on " + to_string(fault) + " agent " + culprit +
                 " has error info that does not say so: " + rec.status_data);
      else
        ++out.injected_failures_seen;
      continue;
    }
    if (rec.status == session_status::error && fault != agent_fault::silent)
      note(out, count, "session " + o.id + " on healthy agents is ERROR: " + rec.status_data);
    if (rec.status == session_status::error && error_name_of(rec.status_data).empty())
      note(out, count, "session " + o.id + " is ERROR without error info");
  }
  if (count > listed_problems)
    out.problems.push_back("... and " + std::to_string(count - listed_problems) + " more problems");
  return out;
}

void check_failing_share(check_result& out, size_t placed, size_t sessions, double capacity_share) {
  out.placed_on_failing = placed;
  out.placed_on_failing_share =
      sessions == 0 ? 0 : static_cast<double>(placed) / static_cast<double>(sessions);
  out.failing_capacity_share = capacity_share;
  if (capacity_share <= 0 || out.placed_on_failing_share <= failing_share_limit * capacity_share)
    return;
  char line[200];
  std::snprintf(line, sizeof line,
                "%zu of %zu sessions (%.3f %%) were placed on failing agents, which hold %.3f %% "
                "of the capacity: more than %.0f times their share",
                placed, sessions, 100 * out.placed_on_failing_share, 100 * capacity_share,
                failing_share_limit);
  out.problems.push_back(line);
}

} // namespace baikal::sim
