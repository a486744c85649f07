// An agent's link to the manager cut in both directions (its veth down) for 5 s and for 60 s.
// While it is away: the manager shows it LOST within 3 s of its heartbeat deadline, its sessions
// stay RUNNING (they are not destroyed), a session deleted meanwhile ends at once, new sessions
// start on the other agent, and one of its kernels dies on the agent (an execution past its
// timeout). After the heal: the agent is ALIVE again; the kernel that died is reported (its
// session ends with the agent's reason, once); the deleted session's kernel is destroyed on the
// agent by the reconciliation; nothing is lost, stuck or leaked; every RUNNING session executes.

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "chaos/chaos_checks.hpp"
#include "cluster/stored_history.hpp"
#include "runtime/cluster/node.hpp"
#include "runtime/store/session_store.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace baikal::test::chaos;
using namespace std::chrono_literals;

namespace {

/// The manager's heartbeat settings in process_cluster's manager.toml.
constexpr auto heartbeat_deadline = 1500ms; // 3 missed beats of 0.5 s
constexpr auto lost_slack = 3s;

std::string history_text(const std::vector<status_change>& h) {
  std::string out;
  for (auto& change : h)
    out += to_string(change.status) + ": " + change.reason + "\n";
  return out;
}

size_t count_status(const std::vector<status_change>& h, const std::string& status) {
  size_t n = 0;
  for (auto& change : h)
    n += to_string(change.status) == status ? 1 : 0;
  return n;
}

/// A node's link cut until this goes away (the namespaces outlive a failed test).
struct cut_link {
  const cluster_network& net;
  netns_node node;
  bool cut = false;
  cut_link(const cluster_network& n, netns_node where) : net(n), node(std::move(where)) {
    cut = net.set_link(node, false);
  }
  bool heal() {
    if (cut && net.set_link(node, true))
      cut = false;
    return !cut;
  }
  ~cut_link() { heal(); }
};

/// A thread joined when this goes away, whatever the test did meanwhile.
struct joined_thread {
  std::thread t;
  ~joined_thread() {
    if (t.joinable())
      t.join();
  }
};

/// Sessions created until `per_agent` of them run on each agent; answers them by agent.
std::map<std::string, std::vector<std::string>>
sessions_on_both(process_cluster& c, size_t per_agent, std::vector<std::string>& ids) {
  std::map<std::string, std::vector<std::string>> by_agent;
  for (int i = 0; i < 12 && (by_agent[c.agent_1.id].size() < per_agent ||
                             by_agent[c.agent_2.id].size() < per_agent);
       ++i) {
    auto id = c.create_session(small_session(c, "cut-" + std::to_string(i)));
    ids.push_back(id);
    REQUIRE(c.wait_session_status(id, "RUNNING") == "RUNNING");
    by_agent[agent_of(c, id)].push_back(id);
  }
  return by_agent;
}

void cut_and_heal(std::chrono::seconds cut_for, const std::string& fault) {
  process_cluster c;
  std::vector<std::string> ids;
  auto by_agent = sessions_on_both(c, 3, ids);
  auto& victim = c.agent_1;
  auto& other = c.agent_2;
  REQUIRE(by_agent[victim.id].size() >= 3);
  auto kept = by_agent[victim.id][0];    // stays RUNNING through the cut
  auto deleted = by_agent[victim.id][1]; // deleted while the agent is away
  auto dying = by_agent[victim.id][2];   // its kernel dies on the agent while away
  auto dying_container = kernel_field(c.alice.get("/v1/sessions/" + dying), 0, "container_id");
  auto deleted_container = kernel_field(c.alice.get("/v1/sessions/" + deleted), 0, "container_id");
  fault_figures f{fault, {}};

  // An execution that outlives its timeout ends its kernel on the agent (the runner answers
  // exec-timeout before the execute's first flush, 2 s): started now, it times out just after
  // the link is cut, and its kernel_terminated event is produced while the agent is away.
  std::atomic<int> doomed_status{-1};
  joined_thread doomed{std::thread{[&c, &doomed_status, dying] {
    doomed_status =
        quiet_call(c.alice, "POST", "/v1/sessions/" + dying + "/execute",
                   R"({"mode":"query","code":"sleep 29","opts":{"exec_timeout":"1.8"}})")
            .status;
  }}};
  REQUIRE(eventually([&] { return c.engine.runs_process(dying_container, "sleep 29"); }, 30s));

  auto t0 = chaos_clock::now();
  cut_link cut{c.net, victim.where};
  REQUIRE(cut.cut);
  REQUIRE(c.wait_agent_status(victim.id, "LOST", 30s));
  auto lost_after = chaos_clock::now() - t0;
  f.seconds["truth"] = seconds_since(t0);
  CHECK(lost_after <= heartbeat_deadline + lost_slack);
  CHECK(c.agent_status(other.id) == "ALIVE");

  // While away: sessions on the agent are not destroyed; a deletion ends its session at once;
  // new sessions start on the other agent.
  CHECK(c.alice.del("/v1/sessions/" + deleted).status == 200);
  CHECK(c.wait_session_status(deleted, "TERMINATED", 30s) == "TERMINATED");
  auto fresh = c.create_session(small_session(c, "during-cut"));
  ids.push_back(fresh);
  CHECK(c.wait_session_status(fresh, "RUNNING") == "RUNNING");
  f.seconds["new_session"] = seconds_since(t0);
  CHECK(agent_of(c, fresh) == other.id);
  std::this_thread::sleep_until(t0 + cut_for);
  // A cut longer than the silence limit ends the connection: the execute in flight over it is
  // answered 503 (its answer is lost), not left waiting for its deadline.
  if (cut_for > 2 * cluster::connection_silence_limit)
    CHECK(doomed_status == 503);
  CHECK(c.alice.get("/v1/sessions/" + kept).str("status") == "RUNNING");
  CHECK(c.engine.container_exists(deleted_container)); // the agent did not hear of it yet

  // Lazily, when a check below fails: what the manager and the agent said about the heal.
  INFO("the manager wrote:\n" << log_tail(c.manager_process().output()));
  INFO("the agent wrote:\n" << log_tail(c.agent_process(victim.id).output()));
  auto t1 = chaos_clock::now();
  REQUIRE(cut.heal());
  REQUIRE(c.wait_agent_status(victim.id, "ALIVE"));
  f.seconds["back"] = seconds_since(t1);
  // It serves again: the session kept through the cut runs code.
  CHECK(eventually([&] { return executes(c, kept); }, 60s));
  f.seconds["serving"] = seconds_since(t1);
  // The kernel that died while away is reported, and ends its session once.
  CHECK(c.wait_session_status(dying, "TERMINATED", 60s) == "TERMINATED");
  f.seconds["died_reported"] = seconds_since(t1);
  auto h = history_of(c, dying);
  INFO("the session's history:\n" << history_text(h));
  CHECK(count_status(h, "TERMINATING") == 1);
  CHECK(count_status(h, "TERMINATED") == 1);
  CHECK((!h.empty() && h.back().reason.find("exec-timeout") != std::string::npos));
  CHECK_FALSE(c.engine.container_exists(dying_container));
  // The kernel of the session deleted while away is destroyed on the agent.
  CHECK(eventually([&] { return !c.engine.container_exists(deleted_container); }, 60s));
  f.seconds["reconciled"] = seconds_since(t1);
  CHECK(c.alice.get("/v1/sessions/" + kept).str("status") == "RUNNING");
  // Written once the registration's answer is back, which nothing above waited for.
  CHECK(eventually([&] { return c.agent_process(victim.id).wrote("rejoined the manager"); }, 30s));

  check_nothing_lost(c, ids, f);
  report(f);
}

} // namespace

TEST_CASE("chaos: an agent's link cut for 5 s is LOST within 3 s of its heartbeat deadline, "
          "keeps its sessions, and once healed reports what died, destroys what was deleted "
          "and loses, leaks and sticks nothing") {
  cut_and_heal(5s, "link-cut-5s");
}

TEST_CASE("chaos: an agent's link cut for 60 s is LOST within 3 s of its heartbeat deadline, "
          "keeps its sessions, and once healed reports what died, destroys what was deleted "
          "and loses, leaks and sticks nothing") {
  cut_and_heal(60s, "link-cut-60s");
}
