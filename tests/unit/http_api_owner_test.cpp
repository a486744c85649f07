// A session is its owner's alone: every route of the API that names a session answers another
// user exactly as it answers for a session that does not exist (404), never with the session's
// data or its kernel's. The routes come from the API's own table, so a route added later is
// covered too (and fails here until it has a sample request below).

#include <doctest/doctest.h>

#include <map>

#include "actors/manager/http/api_routes.hpp"
#include "actors/manager/http/http_api.hpp"
#include "support/api_client.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// A request that passes the route's own checks (body, query), so that what answers is the
/// session look-up.
struct sample_request {
  std::string query;
  std::string body;
  std::string content_type = "application/json";
};

const std::map<std::string, sample_request>& samples() {
  static const std::map<std::string, sample_request> table{
      {"GET /v1/sessions/{id}", {}},
      {"GET /v1/sessions/{id}/history", {}},
      {"DELETE /v1/sessions/{id}", {}},
      {"POST /v1/sessions/{id}/execute", {"", R"({"mode":"query","code":"id"})"}},
      {"POST /v1/sessions/{id}/interrupt", {"", "{}"}},
      {"POST /v1/sessions/{id}/complete", {"", R"({"text":"ec"})"}},
      {"POST /v1/sessions/{id}/restart", {"", "{}"}},
      {"GET /v1/sessions/{id}/logs", {}},
      {"PUT /v1/sessions/{id}/files", {"?path=a.txt", "data", "application/octet-stream"}},
      {"GET /v1/sessions/{id}/files", {"?path=.", ""}},
      {"GET /v1/sessions/{id}/download", {"?path=a.txt", ""}},
      {"GET /v1/sessions/{id}/download-single", {"?path=a.txt", ""}},
      {"POST /v1/sessions/{id}/services/{name}", {"", "{}"}},
      {"DELETE /v1/sessions/{id}/services/{name}", {}},
      {"POST /v1/sessions/{id}/commit", {"", "{}"}},
      {"GET /v1/sessions/{id}/commit", {}},
      {"* /v1/sessions/{id}/apps/{service}/{path...}", {"?q=1", ""}},
      {"GET /v1/sessions/{id}/stream", {}},
      {"GET /v1/sessions/{id}/pty", {"?rows=24&cols=80", ""}},
  };
  return table;
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (auto i = text.find(what); i != std::string::npos; i = text.find(what, i + with.size()))
    text.replace(i, what.size(), with);
  return text;
}

struct owner_fixture : manager_fixture {
  std::unique_ptr<http_api> api;
  api_client alice;
  api_client bob;

  owner_fixture() {
    start();
    api_settings s;
    s.port = 0;
    s.users = {{"alice", "alice", "token-alice-0001"}, {"bob", "bob", "token-bob-0002"}};
    s.manager_timeout = 10s;
    s.agent_timeout = 10s;
    s.long_timeout = 10s;
    api = std::make_unique<http_api>(*sys, m.front, s);
    auto port = api->start();
    REQUIRE_MESSAGE(port, why(port));
    alice = api_client{*port, "token-alice-0001"};
    bob = api_client{*port, "token-bob-0002"};
  }

  ~owner_fixture() {
    if (api)
      api->stop();
  }

  api_answer call(const api_client& who, const api_route& route, const std::string& session) {
    auto& sample = samples().at(route.method + " " + route.pattern);
    auto target = replace_all(replace_all(route.pattern, "{id}", session), "{name}", "httpd");
    target = replace_all(replace_all(target, "{service}", "httpd"), "{path...}", "index.html");
    auto method = route.method == "*" ? std::string{"GET"} : route.method;
    return who.call(method, target + sample.query, sample.body, sample.content_type);
  }
};

bool names_a_session(const api_route& route) {
  return route.pattern.rfind("/v1/sessions/{id}", 0) == 0;
}

} // namespace

TEST_CASE_FIXTURE(owner_fixture, "http api: every session route answers another user's session "
                                 "with the same 404 as a session that does not exist") {
  join("a1");
  auto created = alice.post("/v1/sessions", R"({"name":"mine","image":"cr.backend.ai/stable/)"
                                            R"(python:3.9","resources":{"cpu":1,"mem":268435456},)"
                                            R"("environ":{"ALICE_SECRET":"s3cret-of-alice"}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(eventually([&] { return alice.get("/v1/sessions/" + id).str("status") == "RUNNING"; }));
  const std::string unknown = "00000000-0000-4000-8000-000000000000";

  size_t covered = 0;
  for (auto& route : api_route_list()) {
    bool ends_the_session = route.method == "DELETE" && route.pattern == "/v1/sessions/{id}";
    if (!names_a_session(route) || ends_the_session)
      continue; // DELETE of the session itself goes last
    CAPTURE(route.method + " " + route.pattern);
    REQUIRE_MESSAGE(samples().count(route.method + " " + route.pattern) == 1,
                    "add a sample request for this route");
    auto foreign = call(bob, route, id);
    auto missing = call(bob, route, unknown);
    CHECK(foreign.status == 404);
    CHECK(foreign.str("error") == "not_found");
    CHECK(foreign.str("message") == replace_all(missing.str("message"), unknown, id));
    CHECK(foreign.body.find("s3cret-of-alice") == std::string::npos);
    // The owner is not refused the same way: the 404 above is about who asks.
    auto own = call(alice, route, id);
    CHECK(own.str("message") != replace_all(missing.str("message"), unknown, id));
    ++covered;
  }
  CHECK(covered == samples().size() - 1);

  api_route del{"DELETE", "/v1/sessions/{id}"};
  auto foreign = call(bob, del, id);
  CHECK(foreign.status == 404);
  CHECK(foreign.str("message") == replace_all(call(bob, del, unknown).str("message"), unknown, id));
  CHECK(alice.get("/v1/sessions/" + id).str("status") == "RUNNING");
  CHECK(bob.get("/v1/sessions").json["sessions"].Size() == 0);
  CHECK(call(alice, del, id).status == 200);
}
