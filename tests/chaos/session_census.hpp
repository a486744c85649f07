#pragma once

/// What a chaos test checks after each fault, over every session it created: none lost (each
/// is still listed), none stuck (each is RUNNING or ended within a bound), no container left
/// that no RUNNING kernel owns, and every RUNNING session answers an execute. Also where the
/// figures go: a line per measure on stdout and, when BAIKAL_CHAOS_FIGURES names a file, there
/// too (scripts/chaos.sh reads it).

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cluster/process_cluster.hpp"
#include "support/eventually.hpp"

namespace baikal::test {

struct session_census {
  std::vector<std::string> running;
  std::vector<std::string> ended; ///< ERROR or TERMINATED
  std::vector<std::string> between;
  std::vector<std::string> missing;
  std::string first_between; ///< the JSON of one session still between, for messages

  bool settled() const { return between.empty() && missing.empty(); }
  std::string summary() const {
    std::ostringstream out;
    out << running.size() << " RUNNING, " << ended.size() << " ended, " << between.size()
        << " between, " << missing.size() << " missing" << (first_between.empty() ? "" : ": ")
        << first_between;
    return out.str();
  }
};

inline bool is_final(const std::string& status) {
  return status == "ERROR" || status == "TERMINATED";
}

inline session_census take_census(const process_cluster& c, const std::vector<std::string>& ids) {
  session_census out;
  for (auto& id : ids) {
    auto res = c.alice.get("/v1/sessions/" + id);
    auto status = res.str("status");
    if (res.status == 404 || status.empty()) {
      out.missing.push_back(id);
    } else if (status == "RUNNING") {
      out.running.push_back(id);
    } else if (is_final(status)) {
      out.ended.push_back(id);
    } else {
      out.between.push_back(id);
      if (out.first_between.empty())
        out.first_between = res.body;
    }
  }
  return out;
}

/// Waits until every session is RUNNING or ended (none stuck); answers the census.
inline session_census settle(const process_cluster& c, const std::vector<std::string>& ids,
                             std::chrono::seconds bound) {
  session_census out;
  eventually(
      [&] {
        out = take_census(c, ids);
        return out.settled();
      },
      bound);
  return out;
}

/// Containers of the cluster's agents that no RUNNING kernel of `ids` owns.
inline std::vector<std::string> stray_containers(const process_cluster& c,
                                                 const std::vector<std::string>& ids) {
  std::set<std::string> owned;
  for (auto& id : ids) {
    auto res = c.alice.get("/v1/sessions/" + id);
    if (res.str("status") != "RUNNING")
      continue;
    for (size_t k = 0; !kernel_field(res, k, "id").empty(); ++k)
      owned.insert(kernel_field(res, k, "container_id"));
  }
  std::vector<std::string> out;
  for (auto* agent : {&c.agent_1, &c.agent_2})
    for (auto& container : c.engine.containers_of_agent(agent->id))
      if (!owned.count(container))
        out.push_back(container);
  return out;
}

/// Waits until no container is stray; answers those still stray at the bound.
inline std::vector<std::string> settle_containers(const process_cluster& c,
                                                  const std::vector<std::string>& ids,
                                                  std::chrono::seconds bound) {
  std::vector<std::string> out;
  eventually(
      [&] {
        out = stray_containers(c, ids);
        return out.empty();
      },
      bound);
  return out;
}

/// How many RUNNING sessions do not answer `echo` with what it printed.
inline size_t silent_sessions(const process_cluster& c, const std::vector<std::string>& running) {
  size_t silent = 0;
  for (auto& id : running)
    if (c.run(id, "echo alive-" + id.substr(0, 8)) != "alive-" + id.substr(0, 8) + "\n")
      ++silent;
  return silent;
}

/// Reports one figure: `fault` (engine-restart, registry-down, ...), `what` and its value.
inline void figure(const std::string& fault, const std::string& what, double value) {
  std::ostringstream line;
  line << "chaos-figure " << fault << " " << what << " " << value << "\n";
  std::cout << line.str() << std::flush;
  if (const char* file = std::getenv("BAIKAL_CHAOS_FIGURES"))
    std::ofstream{file, std::ios::app} << line.str();
}

/// A count from the environment (scripts/chaos.sh raises them), else `fallback`.
inline int chaos_count(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace baikal::test
