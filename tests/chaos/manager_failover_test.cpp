// Two baikal-manager processes on one private PostgreSQL database, one leading and one standing
// by, with two real agents: the leader killed with SIGKILL in the middle of a burst of creates,
// the leader paused with SIGSTOP and let go again, and the database restarted under a leader.
// BAIKAL_CHAOS_FAILOVER_BURST sets the burst (50).

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <set>
#include <sstream>
#include <thread>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "chaos/chaos_checks.hpp"
#include "support/postgres_server.hpp"

using namespace baikal::test;
using namespace baikal::test::chaos;
using namespace std::chrono_literals;

namespace {

postgres_server& database_server() {
  std::string why;
  auto* server = shared_postgres_server(&why);
  REQUIRE_MESSAGE(server, why);
  return *server;
}

cluster_options on_postgres(bool standby) {
  cluster_options o;
  o.postgres_url = database_server().create_database();
  o.standby_manager = standby;
  return o;
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

/// The ids of the session's kernels as the API lists them.
std::vector<std::string> kernels_of(const process_cluster& c, const rapidjson::Value& listed) {
  std::vector<std::string> out;
  auto shown = quiet_call(c.alice, "GET", std::string{"/v1/sessions/"} + listed["id"].GetString());
  if (shown.json.IsObject() && shown.json.HasMember("kernels") && shown.json["kernels"].IsArray())
    for (auto& k : shown.json["kernels"].GetArray())
      if (k.HasMember("id") && k["id"].IsString())
        out.push_back(k["id"].GetString());
  return out;
}

/// The log lines of the agents and managers that name the session or one of its kernels.
std::string said_of(const process_cluster& c, const std::string& session,
                    const std::vector<std::string>& kernels) {
  std::string out;
  auto scan = [&](const std::string& who, const std::string& log) {
    std::istringstream in{log};
    for (std::string line; std::getline(in, line);) {
      bool named = line.find(session) != std::string::npos;
      for (auto& k : kernels)
        named = named || line.find(k) != std::string::npos;
      if (named)
        out += who + ": " + line + "\n";
    }
  };
  scan("agent 1", c.agent_process(c.agent_1.id).output());
  scan("agent 2", c.agent_process(c.agent_2.id).output());
  scan("manager", c.manager_process().output());
  return out;
}

/// A small session that fits fifty times on two agents of a small machine.
std::string tiny_session(const process_cluster& c, const std::string& name) {
  return R"({"name":")" + name + R"(","image":")" + c.image +
         R"(","resources":{"cpu":0.04,"mem":50331648}})";
}

/// The id of alice's session named `name`, as whichever manager answers lists it (a standby
/// reads the database); empty when none does or none is listed.
std::string listed_by_name(const std::vector<api_client>& managers, const std::string& name) {
  for (auto& m : managers) {
    auto res = quiet_call(m, "GET", "/v1/sessions");
    if (res.status != 200 || !res.json.IsObject() || !res.json.HasMember("sessions"))
      continue;
    for (auto& s : res.json["sessions"].GetArray())
      if (s["name"].IsString() && s["name"].GetString() == name)
        return s["id"].GetString();
    return {};
  }
  return {};
}

/// Creates session `name` as a client given both managers would: the one that answers 201
/// wins; no answer, a 503 or a redirect to a manager that is gone means trying the other. A
/// create sent without an answer may have been made: it is looked up by name first, so that
/// each name is created once.
std::string create_once(const std::vector<api_client>& managers, const std::string& name,
                        const std::string& body) {
  bool maybe_made = false;
  std::string id;
  eventually(
      [&] {
        if (maybe_made && !(id = listed_by_name(managers, name)).empty())
          return true;
        for (auto& m : managers) {
          auto res = quiet_call(m, "POST", "/v1/sessions", body);
          if (res.status == 201) {
            id = res.str("id");
            return true;
          }
          if (res.status == 0)
            maybe_made = true;
        }
        return false;
      },
      60s);
  return id;
}

/// Seconds from the session's first status to its first RUNNING, from its history; -1 when it
/// never ran.
double launch_seconds(const api_client& m, const std::string& id) {
  auto res = quiet_call(m, "GET", "/v1/sessions/" + id + "/history");
  if (res.status != 200 || !res.json.IsArray() || res.json.Empty())
    return -1;
  auto first = res.json[0]["at_ms"].GetInt64();
  for (auto& change : res.json.GetArray())
    if (std::string{change["status"].GetString()} == "RUNNING")
      return (change["at_ms"].GetInt64() - first) / 1000.0;
  return -1;
}

double median(std::vector<double> xs) {
  if (xs.empty())
    return -1;
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

/// How long until `m` answers GET /v1/ready with 200, from `t0`; -1 when it did not in `limit`.
double ready_after(const api_client& m, chaos_clock::time_point t0, std::chrono::seconds limit) {
  auto ready = eventually([&] { return quiet_call(m, "GET", "/v1/ready").status == 200; }, limit);
  return ready ? seconds_since(t0) : -1;
}

/// Whether a new connection to `host`:`port` is refused (nobody listens there).
bool connection_refused(const std::string& host, uint16_t port) {
  // Runs beside the test's thread: no doctest assertion here.
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    return false;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  bool refused =
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno == ECONNREFUSED;
  ::close(fd);
  return refused;
}

/// Connects to the standby's port again and again, a few every millisecond, until `done`: how
/// many of those connections were refused.
int refused_until(const api_client& m, const std::atomic<bool>& done) {
  int refused = 0;
  while (!done) {
    refused += connection_refused(m.host, m.port) ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::microseconds{200});
  }
  return refused;
}

} // namespace

TEST_CASE("chaos: the leading manager killed with SIGKILL during a burst of creates: the standby "
          "leads within 3 s, every session reaches RUNNING exactly once with one container, "
          "and the agents rejoin") {
  auto burst = chaos_count("BAIKAL_CHAOS_FAILOVER_BURST", 50);
  process_cluster c{on_postgres(true)};
  auto first = c.alice;
  auto second = c.alice;
  second.port = process_cluster::api_port_of(2);
  std::vector<api_client> managers{first, second};
  // The standby serves reads and sends writes to the leader.
  CHECK(quiet_call(second, "GET", "/v1/ready").status == 503);
  CHECK(quiet_call(second, "POST", "/v1/sessions", tiny_session(c, "x")).status == 307);

  std::map<std::string, std::string> ids; // by name
  fault_figures f{"manager-failover", {}};
  chaos_clock::time_point killed;
  // Watched beside the burst, from the kill on: the creates meanwhile must not delay the figure.
  double took_over = -1;
  struct joined_thread {
    std::thread t;
    ~joined_thread() {
      if (t.joinable())
        t.join();
    }
  } watch, port_watch;
  int refused = -1;
  std::atomic<bool> took_over_known{false};
  for (int i = 0; i < burst; ++i) {
    auto name = "burst-" + std::to_string(i);
    if (i == burst / 2) {
      CHECK(c.kill_manager(SIGKILL) == 128 + SIGKILL);
      killed = chaos_clock::now();
      watch.t = std::thread{[&] {
        took_over = ready_after(second, killed, 30s);
        took_over_known = true;
      }};
      port_watch.t = std::thread{[&] { refused = refused_until(second, took_over_known); }};
    }
    auto id = create_once(managers, name, tiny_session(c, name));
    REQUIRE_MESSAGE(!id.empty(), "session " << name << " could not be created");
    ids[name] = id;
    c.track_session(id);
  }
  if (watch.t.joinable())
    watch.t.join();
  if (port_watch.t.joinable())
    port_watch.t.join();
  f.seconds["takeover"] = took_over;
  // The standby hands its listening socket to the full API as it takes the lead: a client that
  // connects in between waits for the answer instead of being refused.
  CHECK_MESSAGE(refused == 0, refused << " connections to the standby's port were refused while "
                                         "it took the lead");
  CHECK_MESSAGE(took_over >= 0, c.standby_process().output());
  CHECK_MESSAGE(took_over <= 3.0, "the standby led " << took_over << " s after the kill");
  c.standby_leads();

  // The agents follow the new leader.
  CHECK_MESSAGE(c.wait_agent_status(c.agent_1.id, "ALIVE"), c.agent_process(c.agent_1.id).output());
  CHECK_MESSAGE(c.wait_agent_status(c.agent_2.id, "ALIVE"), c.agent_process(c.agent_2.id).output());
  f.seconds["agents_back"] = seconds_since(killed);

  // Every name is one session, and each is RUNNING.
  std::vector<std::string> all;
  for (auto& [name, id] : ids)
    all.push_back(id);
  auto stuck = stuck_sessions(c, all, 240s);
  CHECK_MESSAGE(stuck.empty(), "sessions not settled: " << stuck.size());
  f.seconds["settled"] = seconds_since(killed);
  auto listed = quiet_call(c.alice, "GET", "/v1/sessions");
  REQUIRE(listed.status == 200);
  std::map<std::string, int> per_name;
  for (auto& s : listed.json["sessions"].GetArray()) {
    per_name[s["name"].GetString()]++;
    std::string status = s["status"].GetString();
    CHECK_MESSAGE(status == "RUNNING", std::string{s["name"].GetString()}
                                           << " is " << status << ": " << to_json(s)
                                           << "\nwhat the agents and managers said of it:\n"
                                           << said_of(c, s["id"].GetString(), kernels_of(c, s)));
  }
  CHECK(per_name.size() == ids.size());
  // Not a structured binding: CHECK_MESSAGE's lambda cannot capture one in C++17 (clang).
  for (auto& entry : per_name)
    CHECK_MESSAGE(entry.second == 1, entry.first << " was created " << entry.second << " times");

  // One container per session, and none for anything else: nothing was launched twice.
  std::map<std::string, int> containers;
  for (auto* agent : {&c.agent_1, &c.agent_2})
    for (auto& k : c.engine.kernel_containers_of_agent(agent->id))
      containers[k.session]++;
  std::set<std::string> known(all.begin(), all.end());
  for (auto& entry : containers) {
    const auto& session = entry.first;
    auto n = entry.second;
    CHECK_MESSAGE(known.count(session) == 1, "a container of unknown session " << session);
    CHECK_MESSAGE(n == 1, "session " << session << " has " << n << " containers");
  }
  CHECK(containers.size() == all.size());

  // What the failover cost: the launch time of the sessions in flight at the kill, against
  // those created once the standby led.
  std::vector<double> in_flight, after;
  for (int i = 0; i < burst; ++i) {
    auto took = launch_seconds(c.alice, ids["burst-" + std::to_string(i)]);
    if (took >= 0)
      (i < burst / 2 ? in_flight : after).push_back(took);
  }
  for (auto* name : {"burst-0", "burst-24", "burst-25"})
    MESSAGE(name << "'s history: "
                 << quiet_call(c.alice, "GET", "/v1/sessions/" + ids[name] + "/history").body);
  f.seconds["launch_p50_in_flight"] = median(in_flight);
  f.seconds["launch_p50_after"] = median(after);

  check_nothing_lost(c, all, f, 120s);
  report(f);
}

TEST_CASE("chaos: the leading manager paused with SIGSTOP for 10 s is taken over, and once let "
          "go it does not act on what it knew: it stops, and the new leader's state stands") {
  process_cluster c{on_postgres(true)};
  auto second = c.alice;
  second.port = process_cluster::api_port_of(2);
  auto before = c.create_session(small_session(c, "before"));
  REQUIRE(c.wait_session_status(before, "RUNNING") == "RUNNING");

  fault_figures f{"manager-pause", {}};
  REQUIRE(c.signal_manager(SIGSTOP));
  auto paused = chaos_clock::now();
  auto took_over = ready_after(second, paused, 20s);
  f.seconds["takeover"] = took_over;
  // The lease (2 s) runs from the paused leader's last proof of life.
  CHECK_MESSAGE(took_over >= 0, c.standby_process().output());
  CHECK(took_over <= 6.0);
  // The new leader acts on the session the paused one knew as RUNNING, and starts another.
  CHECK(quiet_call(second, "DELETE", "/v1/sessions/" + before).status == 200);
  auto during = quiet_call(second, "POST", "/v1/sessions", small_session(c, "during"));
  REQUIRE(during.status == 201);
  c.track_session(during.str("id"));
  std::this_thread::sleep_until(paused + 10s);

  REQUIRE(c.signal_manager(SIGCONT));
  auto resumed = chaos_clock::now();
  auto rc = c.wait_manager(15s);
  f.seconds["old_leader_exit"] = seconds_since(resumed);
  CHECK_MESSAGE(rc == 1,
                "the old leader " << (rc < 0 ? "still runs" : "exited " + std::to_string(rc)));
  c.standby_leads();
  CHECK(c.wait_agent_status(c.agent_1.id, "ALIVE"));
  CHECK(c.wait_agent_status(c.agent_2.id, "ALIVE"));
  // What the new leader did stands: the old one did not bring back its view of the session.
  CHECK(c.wait_session_status(before, "TERMINATED") == "TERMINATED");
  CHECK(c.wait_session_status(during.str("id"), "RUNNING") == "RUNNING");
  std::this_thread::sleep_for(2s);
  CHECK(listed_statuses(c.alice)[before] == "TERMINATED");
  check_nothing_lost(c, {before, during.str("id")}, f, 120s);
  report(f);
}

TEST_CASE("chaos: the database restarted under the leading manager: it waits, keeps the lead "
          "and carries on with its sessions") {
  process_cluster c{on_postgres(false)};
  auto before = c.create_session(small_session(c, "before"));
  REQUIRE(c.wait_session_status(before, "RUNNING") == "RUNNING");

  fault_figures f{"database-restart", {}};
  auto& server = database_server();
  server.stop_immediate();
  auto stopped = chaos_clock::now();
  std::this_thread::sleep_for(4s); // twice the lease: the leader's proofs of life fail
  // Meanwhile a create is refused with an error a person can act on, never a crash.
  auto refused = quiet_call(c.alice, "POST", "/v1/sessions", small_session(c, "refused"));
  CHECK(refused.status >= 400);
  if (refused.status == 201)
    c.track_session(refused.str("id"));
  std::string why;
  REQUIRE_MESSAGE(server.restart(&why), why);
  f.seconds["database_down"] = seconds_since(stopped);

  // The same process leads on: it did not exit, and serves and launches again.
  CHECK(c.wait_manager(2s) == -1);
  std::string after;
  CHECK(eventually(
      [&] {
        auto res = quiet_call(c.alice, "POST", "/v1/sessions", small_session(c, "after"));
        if (res.status == 201)
          after = res.str("id");
        return !after.empty();
      },
      30s));
  f.seconds["new_session"] = seconds_since(stopped);
  REQUIRE(!after.empty());
  c.track_session(after);
  CHECK(c.wait_session_status(after, "RUNNING") == "RUNNING");
  CHECK(listed_statuses(c.alice)[before] == "RUNNING");
  CHECK_FALSE(c.manager_process().wrote("lost the lead"));
  check_nothing_lost(c, {before, after}, f, 120s);
  report(f);
}
