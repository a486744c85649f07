// The manager's HTTP API over a real socket, in front of a real manager (spawn_manager) whose
// agents are fakes: authentication, owner-only sessions, the error JSON and its statuses, body
// limits, agents, metrics and the event stream. Kernel operations against real containers are
// in tests/integration/http_api_sessions_test.cpp.

#include <doctest/doctest.h>

#include <algorithm>

#include <thread>

#include "actors/manager/http/http_api.hpp"
#include "runtime/http/client.hpp"
#include "support/api_client.hpp"
#include "support/manager_fixture.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

struct api_fixture : manager_fixture {
  std::unique_ptr<http_api> api;
  api_client alice;
  api_client bob;
  api_client nobody;

  void start_api(uint64_t max_json_bytes = 1024 * 1024) {
    start();
    api_settings s;
    s.port = 0;
    s.users = {{"alice", "alice", "token-alice-0001"}, {"bob", "bob", "token-bob-0002"}};
    s.images = {{"python:3.9", "cr.backend.ai/stable/python:3.9", "x86_64", false},
                {"baikal-test/busybox:1", "baikal-test/busybox:1", "x86_64", true}};
    s.max_json_bytes = max_json_bytes;
    s.max_upload_bytes = 4 * max_json_bytes;
    s.manager_timeout = 10s;
    s.agent_timeout = 10s;
    api = std::make_unique<http_api>(*sys, m.front, s);
    auto port = api->start();
    REQUIRE_MESSAGE(port, why(port));
    alice = api_client{*port, "token-alice-0001"};
    bob = api_client{*port, "token-bob-0002"};
    nobody = api_client{*port, ""};
  }

  ~api_fixture() {
    if (api)
      api->stop();
  }

  std::string create_session(const api_client& who, const std::string& name) {
    auto res = who.post("/v1/sessions", R"({"name":")" + name +
                                            R"(","image":"cr.backend.ai/stable/python:3.9",)"
                                            R"("resources":{"cpu":1,"mem":268435456}})");
    REQUIRE_MESSAGE(res.status == 201, res.body);
    return res.str("id");
  }

  bool http_reaches(const api_client& who, const std::string& id, const std::string& status) {
    return eventually([&] { return who.get("/v1/sessions/" + id).str("status") == status; }, 30s);
  }
};

void check_error(const api_answer& res, int status, const std::string& code) {
  CHECK_MESSAGE(res.status == status, res.body);
  CHECK(res.content_type == "application/json");
  CHECK(res.str("error") == code);
  CHECK(!res.str("message").empty());
}

} // namespace

TEST_CASE_FIXTURE(api_fixture, "http api: health needs no token, every other route answers "
                               "401 without a known one") {
  start_api();
  auto health = nobody.get("/v1/health");
  CHECK(health.status == 200);
  CHECK(health.str("status") == "ok");
  check_error(nobody.get("/v1/sessions"), 401, "unauthorized");
  check_error(nobody.get("/v1/agents"), 401, "unauthorized");
  check_error(nobody.get("/v1/events"), 401, "unauthorized");
  check_error(nobody.post("/v1/sessions", R"({"image":"x"})"), 401, "unauthorized");
  api_client wrong{alice.port, "token-nobody-999"};
  check_error(wrong.get("/v1/sessions"), 401, "unauthorized");
  check_error(wrong.call("PUT", "/v1/sessions/x/files?path=a", "data", "text/plain"), 401,
              "unauthorized");
}

TEST_CASE_FIXTURE(api_fixture, "http api: a session is created, listed, shown and deleted by "
                               "its owner only, another user gets 404 as for an unknown id") {
  start_api();
  join("a1");
  auto id = create_session(alice, "job-1");
  REQUIRE(!id.empty());
  REQUIRE(http_reaches(alice, id, "RUNNING"));
  auto shown = alice.get("/v1/sessions/" + id);
  CHECK(shown.str("name") == "job-1");
  REQUIRE(shown.json["kernels"].Size() == 1);
  CHECK(std::string{shown.json["kernels"][0]["agent"].GetString()} == "a1");
  CHECK(std::string{shown.json["kernels"][0]["role"].GetString()} == "main");
  auto listed = alice.get("/v1/sessions");
  CHECK(listed.status == 200);
  REQUIRE(listed.json["sessions"].Size() == 1);
  CHECK(std::string{listed.json["sessions"][0]["id"].GetString()} == id);

  check_error(bob.get("/v1/sessions/" + id), 404, "not_found");
  check_error(bob.del("/v1/sessions/" + id), 404, "not_found");
  check_error(bob.post("/v1/sessions/" + id + "/execute", R"({"mode":"query","code":"id"})"), 404,
              "not_found");
  check_error(bob.get("/v1/sessions/" + id + "/files"), 404, "not_found");
  check_error(bob.get("/v1/sessions/" + id + "/logs"), 404, "not_found");
  check_error(alice.get("/v1/sessions/no-such-session"), 404, "not_found");
  CHECK(bob.get("/v1/sessions").json["sessions"].Size() == 0);

  auto deleted = alice.del("/v1/sessions/" + id);
  CHECK_MESSAGE(deleted.status == 200, deleted.body);
  CHECK(http_reaches(alice, id, "TERMINATED"));
}

TEST_CASE_FIXTURE(api_fixture, "http api: bad JSON and bad fields answer 400, a body over the "
                               "limit 413, an unknown route 404 and a wrong method 405") {
  start_api(4096);
  join("a1");
  check_error(alice.post("/v1/sessions", "{not json"), 400, "invalid_argument");
  check_error(alice.post("/v1/sessions", "[]"), 400, "invalid_argument");
  check_error(alice.post("/v1/sessions", R"({"image":"x","cluster_size":"two"})"), 400,
              "invalid_argument");
  check_error(alice.post("/v1/sessions", R"({"image":"x","cluster_mode":"mesh"})"), 400,
              "invalid_argument");
  auto too_big = alice.post("/v1/sessions",
                            R"({"image":"x","environ":{"A":")" + std::string(5000, 'a') + "\"}}");
  check_error(too_big, 413, "invalid_argument");
  check_error(alice.call("PUT", "/v1/sessions/x/files?path=a", std::string(20000, 'b'),
                         "application/octet-stream"),
              413, "invalid_argument");
  check_error(alice.get("/v1/nothing-here"), 404, "not_found");
  auto wrong_method = alice.call("PATCH", "/v1/sessions");
  check_error(wrong_method, 405, "invalid_argument");
  auto id = create_session(alice, "job-2");
  REQUIRE(http_reaches(alice, id, "RUNNING"));
  check_error(alice.post("/v1/sessions/" + id + "/execute", R"({"mode":"shout"})"), 400,
              "invalid_argument");
  check_error(alice.get("/v1/sessions/" + id + "/download"), 400, "invalid_argument");
  check_error(alice.post("/v1/agents/a1/images/purge", R"({"force":true})"), 400,
              "invalid_argument");
}

TEST_CASE_FIXTURE(api_fixture, "http api: kernel routes reach the session's agent and answer "
                               "its errors in the error JSON") {
  start_api();
  join("a1");
  auto id = create_session(alice, "job-3");
  REQUIRE(http_reaches(alice, id, "RUNNING"));
  // The fake agent does not execute code: its runtime_error comes back as 500.
  check_error(alice.post("/v1/sessions/" + id + "/execute", R"({"mode":"query","code":"id"})"), 500,
              "runtime_error");
  check_error(alice.post("/v1/sessions/" + id + "/interrupt"), 500, "runtime_error");
  check_error(alice.get("/v1/sessions/" + id + "/logs"), 500, "runtime_error");
  check_error(alice.post("/v1/agents/a1/images/purge", R"({"images":["x:1"]})"), 500,
              "runtime_error");
  check_error(alice.post("/v1/agents/no-such-agent/images/purge", R"({"images":["x:1"]})"), 404,
              "not_found");
}

TEST_CASE_FIXTURE(api_fixture, "http api: agents are listed with their slots, and /metrics "
                               "holds the manager's metrics and the API's request counters") {
  start_api();
  join("a1", {{"cpu", 4}, {"mem", 8e9}});
  auto agents = alice.get("/v1/agents");
  REQUIRE(agents.status == 200);
  REQUIRE(agents.json["agents"].Size() == 1);
  auto& a = agents.json["agents"][0];
  CHECK(std::string{a["id"].GetString()} == "a1");
  CHECK(std::string{a["status"].GetString()} == "ALIVE");
  CHECK(a["slots"]["capacity"]["cpu"].GetInt() == 4);
  CHECK(a["slots"]["capacity"]["mem"].GetInt64() == 8000000000);
  CHECK(a["slots"]["used"].IsObject());
  alice.get("/v1/sessions/unknown");
  auto metrics = nobody.get("/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.content_type.rfind("text/plain", 0) == 0);
  CHECK(metrics.body.find("baikal_api_requests_total{route=\"GET /v1/agents\",code=\"200\"} 1") !=
        std::string::npos);
  CHECK(metrics.body.find("baikal_api_requests_total{route=\"GET /v1/sessions/{id}\","
                          "code=\"404\"} 1") != std::string::npos);
  CHECK(metrics.body.find("baikal_") != metrics.body.find("baikal_api_requests_total"));
}

TEST_CASE_FIXTURE(api_fixture, "http api: /v1/images lists the catalogue in its order to any "
                               "user, and answers 401 without a token") {
  start_api();
  auto images = bob.get("/v1/images");
  REQUIRE_MESSAGE(images.status == 200, images.body);
  auto& items = images.json["items"];
  REQUIRE(items.Size() == 2);
  CHECK(std::string{items[0]["reference"].GetString()} == "python:3.9");
  CHECK(std::string{items[0]["canonical"].GetString()} == "cr.backend.ai/stable/python:3.9");
  CHECK(!items[0]["is_local"].GetBool());
  CHECK(std::string{items[1]["reference"].GetString()} == "baikal-test/busybox:1");
  CHECK(items[1]["is_local"].GetBool());
  check_error(nobody.get("/v1/images"), 401, "unauthorized");
  check_error(alice.get("/v1/images?arch=x86_64"), 400, "invalid_argument");
}

TEST_CASE_FIXTURE(api_fixture, "http api: /v1/events streams the caller's kernel lifecycle "
                               "events and not another user's") {
  start_api();
  join("a1");
  std::mutex mtx;
  std::string alice_seen;
  std::string bob_seen;
  auto listen = [&](const api_client& who, std::string& seen, std::string until) {
    auto c = http::blocking_client::make("http://127.0.0.1:" + std::to_string(who.port));
    http::client_request req;
    req.target = "/v1/events";
    req.headers["Authorization"] = "Bearer " + who.token;
    return c->stream(req, [&, until](std::string_view piece) {
      std::lock_guard<std::mutex> guard{mtx};
      seen.append(piece);
      return seen.find(until) == std::string::npos;
    });
  };
  std::string bob_session;
  std::thread alice_listener{[&] { listen(alice, alice_seen, "kernel_started"); }};
  std::thread bob_listener{[&] {
    // Bob listens until his own session's kernel has started.
    listen(bob, bob_seen, "\"type\":\"kernel_started\"");
  }};
  REQUIRE(eventually([&] {
    std::lock_guard<std::mutex> guard{mtx};
    return alice_seen.find("subscribed") != std::string::npos &&
           bob_seen.find("subscribed") != std::string::npos;
  }));
  auto alice_session = create_session(alice, "watched");
  alice_listener.join();
  REQUIRE(http_reaches(alice, alice_session, "RUNNING"));
  bob_session = create_session(bob, "bobs");
  bob_listener.join();
  std::lock_guard<std::mutex> guard{mtx};
  CHECK(alice_seen.find("data: {\"type\":\"kernel_") != std::string::npos);
  CHECK(alice_seen.find(alice_session) != std::string::npos);
  CHECK(bob_seen.find(bob_session) != std::string::npos);
  CHECK(bob_seen.find(alice_session) == std::string::npos);
}

TEST_CASE_FIXTURE(api_fixture, "http api: sessions list by status and in pages that carry the "
                               "next id while more remain, and bad parameters answer 400 naming "
                               "them") {
  start_api();
  join("a1");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(create_session(alice, "page-" + std::to_string(i)));
  for (auto& id : ids)
    REQUIRE(http_reaches(alice, id, "RUNNING"));
  REQUIRE(alice.del("/v1/sessions/" + ids[1]).status == 200);
  REQUIRE(http_reaches(alice, ids[1], "TERMINATED"));

  auto listed_ids = [](const api_answer& res) {
    std::vector<std::string> out;
    for (auto& s : res.json["sessions"].GetArray())
      out.push_back(s["id"].GetString());
    return out;
  };
  // Oldest first, sessions of the same millisecond by id: the unpaged order is the pages' order.
  auto all = listed_ids(alice.get("/v1/sessions"));
  REQUIRE(all.size() == 3);
  auto first = alice.get("/v1/sessions?limit=2");
  REQUIRE_MESSAGE(first.status == 200, first.body);
  CHECK(listed_ids(first) == std::vector<std::string>{all[0], all[1]});
  CHECK(first.str("next") == all[1]);
  auto rest = alice.get("/v1/sessions?limit=2&after=" + all[1]);
  CHECK(listed_ids(rest) == std::vector<std::string>{all[2]});
  CHECK_FALSE(rest.json.HasMember("next"));
  auto running = all;
  running.erase(std::find(running.begin(), running.end(), ids[1]));
  CHECK(listed_ids(alice.get("/v1/sessions?status=RUNNING")) == running);
  CHECK(listed_ids(alice.get("/v1/sessions?status=TERMINATED")) ==
        std::vector<std::string>{ids[1]});

  auto bad_status = alice.get("/v1/sessions?status=SLEEPING");
  check_error(bad_status, 400, "invalid_argument");
  CHECK(bad_status.str("message").find("status") != std::string::npos);
  for (auto limit : {"0", "-1", "abc", "1001"}) {
    auto bad = alice.get(std::string{"/v1/sessions?limit="} + limit);
    check_error(bad, 400, "invalid_argument");
    CHECK(bad.str("message").find("limit") != std::string::npos);
  }
  // Another user's id is no place to start from.
  auto foreign = bob.get("/v1/sessions?after=" + ids[0]);
  check_error(foreign, 404, "not_found");
  CHECK(foreign.str("message").find("after") != std::string::npos);
}
