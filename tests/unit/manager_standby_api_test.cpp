// A manager standing by for the one that leads a shared PostgreSQL store serves its API all the
// same: the session reads from the database, 503 for readiness naming the leader, and a 307 to
// the leader for everything else, which a client sends again there.

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "actors/manager/http/http_api.hpp"
#include "actors/manager/http/standby_api.hpp"
#include "integration/ctl_process.hpp"
#include "support/api_client.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// A port nothing listens on now, for an API whose URL must be known before it starts.
uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

api_settings users_api(uint16_t port) {
  api_settings s;
  s.port = port;
  s.users = {{"alice", "alice", "token-alice-0001"}, {"bob", "bob", "token-bob-0002"}};
  s.manager_timeout = 10s;
  s.agent_timeout = 10s;
  s.long_timeout = 10s;
  return s;
}

} // namespace

TEST_CASE("manager standby API on PostgreSQL: a standby answers session reads from the "
          "database, is not ready, and sends everything else to the leader") {
  auto leader_port = free_port();
  auto leader_url = "http://127.0.0.1:" + std::to_string(leader_port);
  manager_on_postgres leader;
  leader.settings.lead_as = leader_url;
  leader.settings.lead_lease = 1000ms;
  leader.start();
  leader.join("a1");
  http_api leader_api{*leader.sys, leader.m.front, users_api(leader_port)};
  REQUIRE(leader_api.start());
  api_client alice_at_leader{leader_port, "token-alice-0001"};
  auto created = alice_at_leader.post("/v1/sessions", R"({"image":"cr.backend.ai/stable/python:3.9",
      "resources":{"cpu":1,"mem":1000000000}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(leader.reaches(id, "RUNNING"));

  manager_fixture standby;
  standby.settings.store_url = leader.settings.store_url;
  standby_api standby_api{*standby.sys, standby.settings.store_url, users_api(0), 10s};
  auto port = standby_api.start();
  REQUIRE_MESSAGE(port, why(port));
  standby.settings.lead_as = "http://127.0.0.1:" + std::to_string(*port);
  standby.settings.lead_lease = 1000ms;
  standby.settings.leader_seen = [&](const leader_info& who) {
    standby_api.view().saw(who.leader);
  };
  std::atomic<bool> leads{false};
  std::thread waiting{[&] {
    standby.start();
    leads = true;
  }};
  REQUIRE(eventually([&] { return standby_api.view().leader_url() == leader_url; }, 10s));
  api_client alice{*port, "token-alice-0001"};
  api_client bob{*port, "token-bob-0002"};
  api_client anyone{*port, ""};

  SUBCASE("reads come from the database, as the leader answers them") {
    auto one = alice.get("/v1/sessions/" + id);
    CHECK(one.status == 200);
    CHECK(one.str("status") == "RUNNING");
    CHECK(one.body == alice_at_leader.get("/v1/sessions/" + id).body);
    auto all = alice.get("/v1/sessions");
    CHECK(all.status == 200);
    CHECK(all.body.find(id) != std::string::npos);
    auto history = alice.get("/v1/sessions/" + id + "/history");
    CHECK(history.status == 200);
    CHECK(history.body.find("RUNNING") != std::string::npos);
    // Another user's session is not there, as on the leader; nor is a session nobody made.
    CHECK(bob.get("/v1/sessions/" + id).status == 404);
    CHECK(bob.get("/v1/sessions/" + id + "/history").status == 404);
    CHECK(alice.get("/v1/sessions/00000000-0000-0000-0000-00000000dead").status == 404);
    CHECK(anyone.get("/v1/sessions").status == 401);
    CHECK(anyone.get("/v1/health").status == 200);
  }

  SUBCASE("readiness is the leader's alone, and the standby names it") {
    auto ready = anyone.get("/v1/ready");
    CHECK(ready.status == 503);
    CHECK(ready.str("message").find(leader_url) != std::string::npos);
    CHECK(alice_at_leader.get("/v1/ready").status == 200);
  }

  SUBCASE("writes and the rest are sent to the leader, where they succeed") {
    auto body = std::string{R"({"image":"cr.backend.ai/stable/python:3.9",
        "resources":{"cpu":1,"mem":1000000000}})"};
    auto create = alice.post("/v1/sessions", body);
    CHECK(create.status == 307);
    CHECK(create.str("error") == "redirected");
    CHECK(create.location == leader_url + "/v1/sessions");
    auto deleted = alice.del("/v1/sessions/" + id);
    CHECK(deleted.status == 307);
    CHECK(deleted.location == leader_url + "/v1/sessions/" + id);
    CHECK(alice.get("/v1/agents").location == leader_url + "/v1/agents");
    CHECK(alice.get("/v1/events?session=" + id).location ==
          leader_url + "/v1/events?session=" + id);
    // Nothing was done here: the session still runs, and nothing new was made.
    CHECK(leader.status_of(id) == "RUNNING");
    CHECK(alice_at_leader.get("/v1/sessions").json["sessions"].Size() == 1);
    // Sent again to the leader, the create succeeds.
    api_client again{leader_port, "token-alice-0001"};
    CHECK(again.post(create.location.substr(leader_url.size()), body).status == 201);
  }

  SUBCASE("baikalctl given several managers uses the one that leads; given the standby alone it "
          "follows the redirect") {
    std::map<std::string, std::string> env{{"BAIKAL_TOKEN", "token-alice-0001"}};
    auto standby_url = "http://127.0.0.1:" + std::to_string(*port);
    auto made = run_ctl({"--api", standby_url, "session", "create", "--json", "--name",
                         "via-standby", "cr.backend.ai/stable/python:3.9"},
                        env);
    CHECK_MESSAGE(made.exit_code == 0, made.err);
    CHECK(made.out.find("via-standby") != std::string::npos);
    // Nothing answers on the first URL, the second stands by: the third, the leader, is used.
    auto listed = run_ctl(
        {"--api", "http://127.0.0.1:1," + standby_url + "," + leader_url, "session", "ls"}, env);
    CHECK_MESSAGE(listed.exit_code == 0, listed.err);
    CHECK(listed.out.find("via-standby") != std::string::npos);
    CHECK(listed.out.find(id) != std::string::npos);
    auto none = run_ctl({"--api", "http://127.0.0.1:1,http://127.0.0.1:2", "session", "ls"}, env);
    CHECK(none.exit_code != 0);
    CHECK(none.err.find("none of the managers answers") != std::string::npos);
  }

  leader_api.stop();
  leader.stop();
  REQUIRE(eventually([&] { return leads.load(); }, 10s));
  waiting.join();
  standby_api.stop();
}
