// The manager killed with SIGKILL right after a burst of creates, and started again on the same
// store: every session it answered is still there and reaches RUNNING (or a final status), new
// sessions start, nothing leaks and every RUNNING session runs code.
// BAIKAL_CHAOS_MANAGER_KILLS sets the number of kills (1), BAIKAL_CHAOS_BURST the creates
// before each (10).

#include <doctest/doctest.h>

#include <csignal>

#include "chaos/chaos_checks.hpp"

using namespace baikal::test;
using namespace baikal::test::chaos;
using namespace std::chrono_literals;

namespace {

/// Whether the API lists every session of `ids` and shows both agents ALIVE.
bool manager_knows_all(const process_cluster& c, const std::vector<std::string>& ids) {
  auto listed = listed_statuses(c.alice);
  for (auto& id : ids)
    if (!listed.count(id))
      return false;
  auto agents = quiet_call(c.alice, "GET", "/v1/agents");
  return agents.status == 200 && agents.body.find("\"status\":\"LOST\"") == std::string::npos &&
         agents.body.find(c.agent_1.id) != std::string::npos &&
         agents.body.find(c.agent_2.id) != std::string::npos;
}

} // namespace

TEST_CASE("chaos: the manager killed with SIGKILL after a burst of creates loses no session it "
          "answered, leaves none stuck, leaks no container, and every RUNNING session "
          "executes") {
  auto kills = chaos_count("BAIKAL_CHAOS_MANAGER_KILLS", 1);
  auto burst = chaos_count("BAIKAL_CHAOS_BURST", 10);
  process_cluster c;
  std::vector<std::string> ids;
  for (int round = 0; round < kills; ++round) {
    CAPTURE(round);
    std::vector<std::string> burst_ids;
    for (int i = 0; i < burst; ++i)
      burst_ids.push_back(
          c.create_session(small_session(c, "burst-" + std::to_string(round * 100 + i))));
    ids.insert(ids.end(), burst_ids.begin(), burst_ids.end());
    fault_figures f{"manager-kill", {}};
    CHECK(c.kill_manager(SIGKILL) == 128 + SIGKILL);
    auto t0 = chaos_clock::now();
    c.start_manager();
    CHECK(eventually([&] { return manager_knows_all(c, ids); }, 120s));
    f.seconds["truth"] = seconds_since(t0);
    auto fresh = c.create_session(small_session(c, "after-" + std::to_string(round)));
    ids.push_back(fresh);
    CHECK(c.wait_session_status(fresh, "RUNNING") == "RUNNING");
    f.seconds["new_session"] = seconds_since(t0);
    // The burst settles before the next round, and makes room for it.
    auto stuck = stuck_sessions(c, burst_ids, 180s);
    CHECK_MESSAGE(stuck.empty(), "stuck after the restart: " << stuck.size());
    f.seconds["settled"] = seconds_since(t0);
    std::map<std::string, size_t> by_status;
    auto listed = listed_statuses(c.alice);
    for (auto& id : burst_ids)
      ++by_status[listed[id]];
    for (auto& [status, n] : by_status)
      MESSAGE("after the restart, " << n << " of the burst's " << burst_ids.size() << " are "
                                    << status);
    report(f);
    if (round + 1 < kills)
      for (auto& id : burst_ids)
        CHECK(c.alice.del("/v1/sessions/" + id).status == 200);
  }
  fault_figures total{"manager-kill", {}};
  check_nothing_lost(c, ids, total, 180s);
  report(total);
}
