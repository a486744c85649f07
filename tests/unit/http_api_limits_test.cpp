// The API's own checks and limits over a real socket, in front of a real manager with fake
// agents: each limit refuses a request just over it with its code (400, or 413 for a size) and
// accepts one just under it; the holes found by trying the API as a user (environ keys with
// '=', slots no agent offers, references the engine would refuse) answer 400 before anything
// is asked of an agent; routes refuse query parameters and bodies they do not read; event
// streams per user answer 429 beyond their limit.

#include <doctest/doctest.h>

#include <mutex>
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

struct limits_fixture : manager_fixture {
  std::unique_ptr<http_api> api;
  api_client alice;

  void start_api(api_limits limits) {
    start();
    api_settings s;
    s.port = 0;
    s.users = {{"alice", "alice", "token-alice-0001"}};
    s.manager_timeout = 10s;
    s.agent_timeout = 10s;
    s.limits = limits;
    api = std::make_unique<http_api>(*sys, m.front, s);
    auto port = api->start();
    REQUIRE_MESSAGE(port, why(port));
    alice = api_client{*port, "token-alice-0001"};
  }

  ~limits_fixture() {
    if (api)
      api->stop();
  }
};

std::string session_body(const std::string& extra) {
  return R"({"image":"cr.backend.ai/stable/python:3.9")" + extra + "}";
}

void check_refused(const api_answer& res, int status, const std::string& words) {
  CHECK_MESSAGE(res.status == status, res.body);
  CHECK(res.str("error") == "invalid_argument");
  CHECK_MESSAGE(res.str("message").find(words) != std::string::npos, res.body);
}

/// Not refused by the API's checks: created, or answered by the (fake) agent behind it.
void check_passed(const api_answer& res) {
  CHECK_MESSAGE(res.status != 400, res.body);
  CHECK_MESSAGE(res.status != 413, res.body);
}

std::string environ_of(int entries, size_t key_bytes, size_t value_bytes) {
  std::string out = ",\"environ\":{";
  for (int i = 0; i < entries; ++i) {
    auto key = std::string(key_bytes - 1, 'K') + static_cast<char>('A' + i);
    out += (i ? "," : "") + ("\"" + key + "\":\"" + std::string(value_bytes, 'v') + "\"");
  }
  return out + "}";
}

} // namespace

TEST_CASE_FIXTURE(limits_fixture, "http api limits: each limit refuses a request just over it "
                                  "and accepts one just under it") {
  api_limits limits;
  limits.max_cluster_size = 4;
  limits.max_name_length = 16;
  limits.max_code_bytes = 100;
  limits.environ = {3, 8, 16};
  limits.max_purge_images = 2;
  start_api(limits);
  join("a1");
  check_passed(alice.post("/v1/sessions", session_body(R"(,"cluster_size":4)")));
  check_refused(alice.post("/v1/sessions", session_body(R"(,"cluster_size":5)")), 400,
                "cluster_size\" must be a whole number from 1 to 4");
  check_passed(
      alice.post("/v1/sessions", session_body(",\"name\":\"" + std::string(16, 'n') + "\"")));
  check_refused(
      alice.post("/v1/sessions", session_body(",\"name\":\"" + std::string(17, 'n') + "\"")), 400,
      "name must be 1 to 16");
  check_passed(alice.post("/v1/sessions", session_body(environ_of(3, 8, 16))));
  check_refused(alice.post("/v1/sessions", session_body(environ_of(4, 8, 16))), 413,
                "environ has 4 entries; at most 3");
  check_refused(alice.post("/v1/sessions", session_body(environ_of(1, 9, 16))), 413,
                "longer than 8 bytes");
  check_refused(alice.post("/v1/sessions", session_body(environ_of(1, 8, 17))), 413,
                "longer than 16 bytes");
  auto code = [](size_t n) { return R"({"mode":"query","code":")" + std::string(n, 'c') + "\"}"; };
  check_passed(alice.post("/v1/sessions/s1/execute", code(100)));
  check_refused(alice.post("/v1/sessions/s1/execute", code(101)), 413,
                "code is 101 bytes; at most 100");
  check_passed(
      alice.post("/v1/sessions/s1/complete", R"({"text":")" + std::string(100, 't') + "\"}"));
  check_refused(
      alice.post("/v1/sessions/s1/complete", R"({"text":")" + std::string(101, 't') + "\"}"), 413,
      "text is 101 bytes");
  check_passed(alice.post("/v1/agents/a1/images/purge", R"({"images":["a:1","b:2"]})"));
  check_refused(alice.post("/v1/agents/a1/images/purge", R"({"images":["a:1","b:2","c:3"]})"), 413,
                "at most 2 are accepted");
  check_passed(alice.get("/v1/sessions/s1/files?path=" + std::string(4096, 'p')));
  check_refused(alice.get("/v1/sessions/s1/files?path=" + std::string(4097, 'p')), 413,
                "the query parameter \"path\" is 4097 bytes");
}

TEST_CASE_FIXTURE(limits_fixture, "http api: values that can never work are refused with 400 "
                                  "naming the field: environ keys, slots, image references") {
  start_api({});
  join("a1", {{"cpu", 8}, {"mem", 8e9}, {"cuda.device", 2}});
  check_refused(alice.post("/v1/sessions", session_body(R"(,"environ":{"A=B":"1"})")), 400,
                "\"A=B\" in environ must not contain '='");
  check_refused(alice.post("/v1/sessions", session_body(R"(,"environ":{"":"1"})")), 400,
                "environ has an empty variable name");
  check_refused(alice.post("/v1/sessions", session_body(R"(,"environ":{"A\u0000B":"1"})")), 400,
                "environ");
  check_refused(alice.post("/v1/sessions", session_body(R"(,"resources":{"gpu":1})")), 400,
                "resources.gpu: no agent offers the slot \"gpu\"");
  check_refused(alice.post("/v1/sessions", session_body(R"(,"resources":{"no such slot":1})")), 400,
                "slot name in resources");
  // A slot an agent offers is fine (once the front has heard of that agent).
  CHECK(eventually([&] {
    return alice.post("/v1/sessions", session_body(R"(,"resources":{"cuda.device":1})")).status ==
           201;
  }));
  check_refused(alice.post("/v1/sessions", R"({"image":"Python:3.9"})"), 400,
                "image must be an image reference");
  check_refused(alice.post("/v1/sessions", R"({"image":"bad name!!"})"), 400,
                "image must be an image reference");
  // The commit's reference is checked before any agent is asked.
  check_refused(alice.post("/v1/sessions/s1/commit", R"({"canonical":"bad name!!"})"), 400,
                "canonical must be an image reference");
  check_refused(alice.post("/v1/agents/a1/images/purge", R"({"images":["UPPER CASE"]})"), 400,
                "images[0] must be an image reference");
  check_refused(alice.post("/v1/sessions/s1/execute",
                           R"({"mode":"query","code":"echo x","opts":{"exec_timeout":"abc"}})"),
                400, "opts.exec_timeout must be a number of seconds from 0 to");
  check_refused(alice.post("/v1/sessions/s1/services/bad%20name", "{}"), 400,
                "the service name must be");
}

TEST_CASE_FIXTURE(limits_fixture, "http api: a route refuses query parameters and bodies it "
                                  "does not read") {
  start_api({});
  check_refused(alice.get("/v1/sessions?color=blue"), 400,
                "unknown query parameter \"color\"; this route takes status, limit, after");
  check_refused(alice.get("/v1/sessions/s1?color=blue"), 400,
                "unknown query parameter \"color\"; this route takes none");
  check_refused(alice.get("/v1/sessions/s1/files?path=a&mode=x"), 400,
                "unknown query parameter \"mode\"; this route takes path");
  check_refused(alice.post("/v1/sessions/s1/interrupt", R"({"now":true})"), 400,
                "this route takes no request body");
  check_refused(alice.post("/v1/sessions/s1/interrupt", "not json"), 400,
                "this route takes no request body");
  // {} and an empty body are what clients send with a bare POST.
  CHECK(alice.post("/v1/sessions/s1/interrupt", "{}").status == 404);
  CHECK(alice.post("/v1/sessions/s1/interrupt", "").status == 404);
}

TEST_CASE_FIXTURE(limits_fixture, "http api: event streams over the per-user limit answer 429, and "
                                  "a closed one frees its place") {
  api_limits limits;
  limits.max_event_streams_per_user = 1;
  start_api(limits);
  join("a1");
  std::mutex mtx;
  std::string seen;
  std::atomic<bool> leave{false};
  std::thread first{[&] {
    auto c = http::blocking_client::make("http://127.0.0.1:" + std::to_string(alice.port));
    http::client_request req;
    req.target = "/v1/events";
    req.headers["Authorization"] = "Bearer " + alice.token;
    c->stream(req, [&](std::string_view piece) {
      std::lock_guard<std::mutex> guard{mtx};
      seen.append(piece);
      return !leave.load();
    });
  }};
  REQUIRE(eventually([&] {
    std::lock_guard<std::mutex> guard{mtx};
    return seen.find("subscribed") != std::string::npos;
  }));
  auto second = alice.get("/v1/events");
  CHECK(second.status == 429);
  CHECK(second.str("error") == "too_many_requests");
  CHECK(second.str("message").find("already has 1 event streams open") != std::string::npos);
  // The client leaves at its next event (a session of alice's makes some); the subscriber
  // notices within its one-second tick and gives the place back.
  leave = true;
  CHECK(alice.post("/v1/sessions", session_body("")).status == 201);
  first.join();
  CHECK(eventually([&] {
    auto c = http::blocking_client::make("http://127.0.0.1:" + std::to_string(alice.port));
    http::client_request req;
    req.target = "/v1/events";
    req.headers["Authorization"] = "Bearer " + alice.token;
    auto status = c->stream(req, [](std::string_view) { return false; });
    return status && *status == 200;
  }));
}

TEST_CASE_FIXTURE(limits_fixture, "http api: a 100 kB path answers 414 and an oversized head "
                                  "431, both as the API's error JSON") {
  start_api({});
  auto long_target = alice.get("/v1/sessions/s1/files?path=" + std::string(100000, 'p'));
  CHECK(long_target.status == 414);
  CHECK(long_target.str("error") == "invalid_argument");
  auto c = http::blocking_client::make("http://127.0.0.1:" + std::to_string(alice.port));
  http::client_request req;
  req.target = "/v1/health";
  req.headers["X-Pad"] = std::string(20000, 'p');
  auto res = c->send(req, 30s);
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->status == 431);
}
