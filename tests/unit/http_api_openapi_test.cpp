// The API's OpenAPI document (docs/openapi.yaml, served as JSON at /v1/openapi.json) and the
// check every test's api_client runs against it (support/openapi_check.hpp); /v1/ready.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "actors/manager/http/api_routes.hpp"
#include "actors/manager/http/http_api.hpp"
#include "support/api_client.hpp"
#include "support/manager_fixture.hpp"
#include "support/openapi_check.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string docs_json = BAIKAL_SOURCE_DIR "/docs/openapi.json";

/// A document of two operations, small enough to read the checks against.
const char* small_document = R"({
  "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "paths": {
    "/v1/things/{id}": {"get": {"responses": {
      "200": {"description": "a thing", "content": {"application/json": {"schema":
        {"$ref": "#/components/schemas/Thing"}}}},
      "404": {"$ref": "#/components/responses/Error"}}}},
    "/v1/things/{id}/files/{path}": {
      "parameters": [{"name": "path", "in": "path", "required": true, "x-multi-segment": true,
                      "schema": {"type": "string"}}],
      "get": {"responses": {"200": {"description": "bytes",
        "content": {"application/octet-stream": {"schema": {"type": "string"}}}},
        "404": {"$ref": "#/components/responses/Error"},
        "default": {"description": "passed on", "content": {"*/*": {"schema": {}}}}}}}
  },
  "x-server-responses": {"408": {"$ref": "#/components/responses/Error"}},
  "x-unrouted-responses": {"404": {"$ref": "#/components/responses/Error"}},
  "components": {
    "responses": {"Error": {"description": "e", "content": {"application/json": {"schema":
      {"$ref": "#/components/schemas/Error"}}}}},
    "schemas": {
      "Thing": {"type": "object", "required": ["id", "size"], "additionalProperties": false,
                "properties": {"id": {"type": "string"}, "size": {"type": "integer"},
                               "tag": {"type": ["string", "null"]}}},
      "Error": {"type": "object", "required": ["error", "message"],
                "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
    }
  }
})";

const std::string error_body = R"({"error":"not_found","message":"no thing"})";

struct openapi_fixture : manager_fixture {
  std::unique_ptr<http_api> api;
  api_client nobody;

  void start_api() {
    start();
    api_settings s;
    s.port = 0;
    s.users = {{"alice", "alice", "token-alice-0001"}};
    s.manager_timeout = 10s;
    api = std::make_unique<http_api>(*sys, m.front, s);
    auto port = api->start();
    REQUIRE_MESSAGE(port, why(port));
    nobody = api_client{*port, ""};
  }

  ~openapi_fixture() {
    if (api)
      api->stop();
  }
};

} // namespace

TEST_CASE("openapi check: an answer the document describes passes, with its path parameters") {
  auto doc = openapi_checker::from_text(small_document);
  REQUIRE(doc->error().empty());
  CHECK(doc->check("GET", "/v1/things/t1", 200, "application/json",
                   R"({"id":"t1","size":3,"tag":null})") == "");
  CHECK(doc->check("GET", "/v1/things/t1?x=1", 404, "application/json; charset=utf-8",
                   error_body) == "");
  // A parameter marked x-multi-segment takes the rest of the path.
  CHECK(doc->check("GET", "/v1/things/t1/files/a/b/c", 200, "application/octet-stream", "xyz") ==
        "");
  // The server's own answers apply to any request; a path no operation has may answer 404.
  CHECK(doc->check("GET", "/v1/things/t1", 408, "application/json", error_body) == "");
  CHECK(doc->check("GET", "/v1/nothing", 404, "application/json", error_body) == "");
}

TEST_CASE("openapi check: a path's rest may be empty, and a proxied status in another type is "
          "the passed-on answer") {
  auto doc = openapi_checker::from_text(small_document);
  REQUIRE(doc->error().empty());
  CHECK(doc->check("GET", "/v1/things/t1/files/", 200, "application/octet-stream", "x") == "");
  CHECK(doc->check("GET", "/v1/things/t1/files/a", 404, "text/html", "<p>no</p>") == "");
  CHECK(doc->check("GET", "/v1/things/t1/files/a", 404, "application/json", error_body) == "");
  CHECK(doc->check("GET", "/v1/things/t1/files/a", 404, "application/json", "{}") != "");
}

TEST_CASE("openapi check: a field of the wrong type fails, naming the route, the status and the "
          "JSON pointer") {
  auto doc = openapi_checker::from_text(small_document);
  auto problem =
      doc->check("GET", "/v1/things/t1", 200, "application/json", R"({"id":"t1","size":"3"})");
  CHECK(problem.find("GET /v1/things/t1 answered 200") != std::string::npos);
  CHECK(problem.find("GET /v1/things/{id}") != std::string::npos);
  CHECK(problem.find("\"#/size\"") != std::string::npos);
  CHECK(problem.find("\"type\"") != std::string::npos);
  // A field the schema does not have, a missing one, a body that is not JSON.
  CHECK(doc->check("GET", "/v1/things/t1", 200, "application/json",
                   R"({"id":"t1","size":3,"colour":"red"})")
            .find("additionalProperties") != std::string::npos);
  CHECK(doc->check("GET", "/v1/things/t1", 200, "application/json", R"({"id":"t1"})")
            .find("required") != std::string::npos);
  CHECK(doc->check("GET", "/v1/things/t1", 200, "application/json", "{") != "");
}

TEST_CASE("openapi check: an undocumented status, method, path or media type fails") {
  auto doc = openapi_checker::from_text(small_document);
  auto problem = doc->check("GET", "/v1/things/t1", 500, "application/json", error_body);
  CHECK(problem.find("answered 500") != std::string::npos);
  CHECK(problem.find("does not document") != std::string::npos);
  CHECK(doc->check("DELETE", "/v1/things/t1", 200, "application/json", "{}") != "");
  CHECK(doc->check("GET", "/v1/nothing", 200, "application/json", "{}") != "");
  CHECK(doc->check("GET", "/v1/things/t1", 200, "text/plain", "t1").find("text/plain") !=
        std::string::npos);
  CHECK(openapi_checker::from_text("not json")->check("GET", "/", 200, "", "") != "");
}

TEST_CASE("openapi document: every route of the API is in docs/openapi.json, public ones "
          "without the bearer requirement") {
  auto& checker = baikal_openapi();
  REQUIRE_MESSAGE(checker.error().empty(), checker.error());
  rapidjson::Document doc;
  doc.Parse(file_text(docs_json).c_str());
  REQUIRE(doc.IsObject());
  auto& paths = doc["paths"];
  for (auto& route : api_route_list()) {
    auto pattern = route.pattern;
    if (auto rest = pattern.find("...}"); rest != std::string::npos)
      pattern.replace(rest, 4, "}");
    CAPTURE(route.method + " " + route.pattern);
    REQUIRE_MESSAGE(paths.HasMember(pattern.c_str()), ("document " + route.pattern));
    auto& item = paths[pattern.c_str()];
    std::vector<std::string> methods{route.method};
    if (route.method == "*")
      methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    for (auto& method : methods) {
      auto key = method;
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      REQUIRE_MESSAGE(item.HasMember(key.c_str()), ("document " + method + " " + pattern));
      auto& op = item[key.c_str()];
      bool open = op.HasMember("security") && op["security"].IsArray() && op["security"].Empty();
      auto wanted =
          method + " " + pattern + (route.is_public ? " needs no token" : " needs a bearer token");
      CHECK_MESSAGE(open == route.is_public, wanted);
    }
  }
}

TEST_CASE_FIXTURE(openapi_fixture, "http api: /v1/openapi.json answers docs/openapi.json "
                                   "without a token") {
  start_api();
  auto res = nobody.get("/v1/openapi.json");
  CHECK(res.status == 200);
  CHECK(res.content_type == "application/json");
  CHECK(res.body == file_text(docs_json));
  CHECK(res.str("openapi") == "3.1.0");
}

TEST_CASE_FIXTURE(openapi_fixture, "http api: /v1/ready answers 200 while the manager takes "
                                   "requests and 503 once it has stopped, without a token") {
  start_api();
  auto ready = nobody.get("/v1/ready");
  CHECK(ready.status == 200);
  CHECK(ready.body == R"({"ready":true})");
  stop(); // the manager's actors end, the HTTP server still answers
  auto stopped = nobody.get("/v1/ready");
  CHECK(stopped.status == 503);
  CHECK(stopped.str("error") == "unavailable");
  CHECK(stopped.str("message").find("does not take requests") != std::string::npos);
  CHECK(nobody.get("/v1/health").status == 200); // liveness stays
}
