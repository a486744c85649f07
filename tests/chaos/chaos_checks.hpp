#pragma once

/// What every chaos scenario asserts once its faults are over, and how it reports its figures.
/// Shared by all tests in tests/chaos/: whatever fails (an agent, the manager, the engine, a
/// link, a registry, a disk), afterwards
///  - no session is lost: every session the API accepted is still listed;
///  - none is stuck: each is RUNNING or final (TERMINATED, ERROR) within a bound;
///  - no container leaks: every kernel container of the cluster's agents belongs to a session
///    that is not final;
///  - every RUNNING session answers an execute (nothing says RUNNING that does not run).
/// Each scenario also measures, per fault, how long until the truth was visible in the API and
/// until new sessions started, and appends one line per fault to $BAIKAL_CHAOS_REPORT when set
/// (scripts/chaos.sh sums them up):
///   fault=agent-kill truth_s=0.21 new_session_s=2.9 back_s=3.4 lost=0 stuck=0 leaked=0 silent=0

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "chaos/session_census.hpp"
#include "cluster/process_cluster.hpp"
#include "runtime/http/client.hpp"
#include "support/eventually.hpp"

namespace baikal::test::chaos {

using chaos_clock = std::chrono::steady_clock;

/// What one fault did, as scripts/chaos.sh prints it. Times are -1 when not measured.
struct fault_figures {
  std::string fault;
  std::map<std::string, double> seconds; ///< "truth", "new_session", "back", ...
  size_t lost = 0;
  size_t stuck = 0;
  size_t leaked = 0;
  size_t silent = 0; ///< RUNNING sessions that did not answer an execute
};

/// Appends `f` to $BAIKAL_CHAOS_REPORT (when set) and to the test's output.
inline void report(const fault_figures& f) {
  std::ostringstream line;
  line << "fault=" << f.fault;
  for (auto& [name, s] : f.seconds) {
    char v[32];
    std::snprintf(v, sizeof v, "%.3f", s);
    line << ' ' << name << "_s=" << v;
  }
  line << " lost=" << f.lost << " stuck=" << f.stuck << " leaked=" << f.leaked
       << " silent=" << f.silent;
  MESSAGE(line.str());
  if (const char* path = std::getenv("BAIKAL_CHAOS_REPORT"))
    std::ofstream{path, std::ios::app} << line.str() << '\n';
}

/// The end of a daemon's log, for a failure message.
inline std::string log_tail(const std::string& log, size_t chars = 6000) {
  return log.size() <= chars ? log : log.substr(log.size() - chars);
}

/// A call to the API that answers status 0 instead of failing the test when nothing answers
/// (a manager being killed or restarted).
inline api_answer quiet_call(const api_client& api, const std::string& method,
                             const std::string& target, const std::string& body = {}) {
  api_answer out;
  auto client = http::blocking_client::make("http://" + api.host + ":" + std::to_string(api.port));
  if (!client)
    return out;
  http::client_request req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.content_type = "application/json";
  req.headers["Authorization"] = "Bearer " + api.token;
  auto res = client->send(req, std::chrono::seconds{30});
  if (!res)
    return out;
  out.status = res->status;
  out.content_type = res->content_type;
  out.body = std::move(res->body);
  if (out.content_type.rfind("application/json", 0) == 0)
    out.json.Parse(out.body.c_str());
  return out;
}

/// The status of every session the API lists (GET /v1/sessions), by id; empty when it does not
/// answer.
inline std::map<std::string, std::string> listed_statuses(const api_client& api) {
  std::map<std::string, std::string> out;
  auto res = quiet_call(api, "GET", "/v1/sessions");
  if (res.status != 200 || !res.json.IsObject() || !res.json.HasMember("sessions"))
    return out;
  for (auto& s : res.json["sessions"].GetArray())
    if (s.HasMember("id") && s["id"].IsString() && s.HasMember("status") && s["status"].IsString())
      out[s["id"].GetString()] = s["status"].GetString();
  return out;
}

inline bool is_settled(const std::string& status) {
  return status == "RUNNING" || is_final(status);
}

/// Sessions of `ids` the API does not list.
inline std::vector<std::string> lost_sessions(const process_cluster& c,
                                              const std::vector<std::string>& ids) {
  auto listed = listed_statuses(c.alice);
  std::vector<std::string> out;
  for (auto& id : ids)
    if (!listed.count(id))
      out.push_back(id);
  return out;
}

/// Waits up to `bound` until every session of `ids` is RUNNING or final; answers those that
/// are not, with their status.
inline std::vector<std::string> stuck_sessions(const process_cluster& c,
                                               const std::vector<std::string>& ids,
                                               std::chrono::seconds bound) {
  std::vector<std::string> out;
  eventually(
      [&] {
        out.clear();
        auto listed = listed_statuses(c.alice);
        for (auto& id : ids)
          if (listed.count(id) && !is_settled(listed[id]))
            out.push_back(id + " (" + listed[id] + ")");
        return !listed.empty() && out.empty();
      },
      bound);
  return out;
}

/// Kernel containers of the cluster's agents that belong to no session of `ids` that is still
/// live, after waiting up to `bound` for the destroys under way (and the reconciliation of
/// agents that were away) to remove them.
inline std::vector<std::string> leaked_containers(const process_cluster& c,
                                                  const std::vector<std::string>& ids,
                                                  std::chrono::seconds bound) {
  std::vector<std::string> out;
  eventually(
      [&] {
        out.clear();
        auto listed = listed_statuses(c.alice);
        if (listed.empty() && !ids.empty())
          return false;
        for (auto* agent : {&c.agent_1, &c.agent_2})
          for (auto& k : c.engine.kernel_containers_of_agent(agent->id)) {
            auto s = listed.find(k.session);
            if (s == listed.end() || is_final(s->second))
              out.push_back(k.id.substr(0, 12) + " (kernel " + k.kernel + " of session " +
                            k.session + ", " +
                            (s == listed.end() ? std::string{"unknown"} : s->second) + ")");
          }
        return out.empty();
      },
      bound);
  return out;
}

/// Whether the session's main kernel answers `echo` through the API now.
inline bool executes(const process_cluster& c, const std::string& id, std::string* why = nullptr) {
  auto res = quiet_call(c.alice, "POST", "/v1/sessions/" + id + "/execute",
                        R"({"mode":"query","code":"echo alive"})");
  bool answered = res.status == 200 && res.body.find("alive") != std::string::npos;
  if (!answered && why)
    *why = std::to_string(res.status) + ": " + res.body.substr(0, 200);
  return answered;
}

/// RUNNING sessions of `ids` whose main kernel does not answer `echo` through the API within
/// `bound` (an agent that just came back may still be settling its connection).
inline std::vector<std::string> silent_sessions(const process_cluster& c,
                                                const std::vector<std::string>& ids,
                                                std::chrono::seconds bound) {
  std::vector<std::string> out;
  auto listed = listed_statuses(c.alice);
  for (auto& id : ids) {
    auto s = listed.find(id);
    if (s == listed.end() || s->second != "RUNNING")
      continue;
    std::string why;
    if (!eventually([&] { return executes(c, id, &why); }, bound))
      out.push_back(id + " (" + why + ")");
  }
  return out;
}

/// The four checks over `ids`, counted into `f` and asserted.
inline void check_nothing_lost(const process_cluster& c, const std::vector<std::string>& ids,
                               fault_figures& f,
                               std::chrono::seconds bound = std::chrono::seconds{120}) {
  auto lost = lost_sessions(c, ids);
  auto stuck = stuck_sessions(c, ids, bound);
  auto leaked = leaked_containers(c, ids, bound);
  auto silent = silent_sessions(c, ids, std::chrono::seconds{30});
  f.lost = lost.size();
  f.stuck = stuck.size();
  f.leaked = leaked.size();
  f.silent = silent.size();
  auto joined = [](const std::vector<std::string>& xs) {
    std::string out;
    for (auto& x : xs)
      out += "\n  " + x;
    return out;
  };
  CHECK_MESSAGE(lost.empty(), "sessions lost:" << joined(lost));
  CHECK_MESSAGE(stuck.empty(), "sessions stuck:" << joined(stuck));
  CHECK_MESSAGE(leaked.empty(), "containers leaked:" << joined(leaked));
  CHECK_MESSAGE(silent.empty(), "RUNNING sessions that do not execute:" << joined(silent));
}

/// A small session's request body for the cluster's image.
inline std::string small_session(const process_cluster& c, const std::string& name) {
  return R"({"name":")" + name + R"(","image":")" + c.image +
         R"(","resources":{"cpu":0.25,"mem":67108864}})";
}

/// The agent the session's first kernel runs on (empty when it is not bound yet).
inline std::string agent_of(const process_cluster& c, const std::string& session) {
  return kernel_field(c.alice.get("/v1/sessions/" + session), 0, "agent");
}

} // namespace baikal::test::chaos
