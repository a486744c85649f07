// Agents killed with SIGKILL again and again, alternating, with sessions created and deleted
// during every outage: the manager shows each agent LOST at once, places new sessions on the
// other, ends the deleted ones, and once the agent is back nothing is lost, stuck or leaked and
// every RUNNING session runs code. BAIKAL_CHAOS_AGENT_KILLS sets the number of kills (10).

#include <doctest/doctest.h>

#include <csignal>

#include "chaos/chaos_checks.hpp"

using namespace baikal::test;
using namespace baikal::test::chaos;
using namespace std::chrono_literals;

TEST_CASE("chaos: agents killed with SIGKILL, with sessions created and deleted during each "
          "outage, lose no session, leave none stuck, leak no container, and every RUNNING "
          "session executes") {
  auto kills = chaos_count("BAIKAL_CHAOS_AGENT_KILLS", 10);
  process_cluster c;
  std::vector<std::string> ids;
  std::vector<std::string> live; ///< not deleted yet, oldest first
  for (int i = 0; i < 2; ++i) {
    ids.push_back(c.create_session(small_session(c, "before-" + std::to_string(i))));
    live.push_back(ids.back());
  }
  for (auto& id : ids)
    REQUIRE(c.wait_session_status(id, "RUNNING") == "RUNNING");

  for (int round = 0; round < kills; ++round) {
    CAPTURE(round);
    auto& victim = round % 2 == 0 ? c.agent_1 : c.agent_2;
    fault_figures f{"agent-kill", {}};
    auto t0 = chaos_clock::now();
    REQUIRE(c.stop_agent(victim.id, SIGKILL) == 128 + SIGKILL);
    REQUIRE(c.wait_agent_status(victim.id, "LOST", 60s));
    f.seconds["truth"] = seconds_since(t0);

    // Work during the outage: a new session (on the other agent) and a deletion (of the oldest
    // session, wherever it runs: on the dead agent its kernel goes once the agent is back).
    auto created = c.create_session(small_session(c, "during-" + std::to_string(round)));
    ids.push_back(created);
    auto deleted = live.front();
    live.erase(live.begin());
    live.push_back(created);
    CHECK(c.alice.del("/v1/sessions/" + deleted).status == 200);
    CHECK(c.wait_session_status(created, "RUNNING") == "RUNNING");
    f.seconds["new_session"] = seconds_since(t0);
    CHECK(c.wait_session_status(deleted, "TERMINATED", 60s) == "TERMINATED");

    auto t1 = chaos_clock::now();
    c.start_agent(victim);
    REQUIRE_MESSAGE(c.wait_agent_status(victim.id, "ALIVE"), c.agent_process(victim.id).output());
    f.seconds["back"] = seconds_since(t1);
    report(f);
  }

  fault_figures total{"agent-kill", {}};
  check_nothing_lost(c, ids, total);
  report(total);
}
