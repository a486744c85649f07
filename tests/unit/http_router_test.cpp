// The HTTP router and request-target parsing: patterns with parameters, decoding, and what
// does not match.

#include <doctest/doctest.h>

#include "runtime/http/router.hpp"
#include "runtime/http/target.hpp"

using namespace baikal::http;

TEST_CASE("http router: a pattern's parameters are matched and percent-decoded") {
  router r;
  auto label = r.add("GET", "/v1/sessions/{id}/services/{name}");
  CHECK(label == "GET /v1/sessions/{id}/services/{name}");
  auto m = r.match("GET", "/v1/sessions/abc%2Fdef/services/jupyter%20lab");
  REQUIRE(m.result == route_match::outcome::found);
  CHECK(m.label == label);
  CHECK(m.params.at("id") == "abc/def");
  CHECK(m.params.at("name") == "jupyter lab");
}

TEST_CASE("http router: the method picks among routes of one path, another method is "
          "method_not_allowed listing the allowed ones") {
  router r;
  r.add("GET", "/v1/sessions/{id}");
  r.add("DELETE", "/v1/sessions/{id}");
  r.add("GET", "/v1/sessions");
  CHECK(r.match("DELETE", "/v1/sessions/x").label == "DELETE /v1/sessions/{id}");
  CHECK(r.match("GET", "/v1/sessions").label == "GET /v1/sessions");
  CHECK(r.match("GET", "/v1/sessions/").label == "GET /v1/sessions"); // trailing slash
  auto m = r.match("PUT", "/v1/sessions/x");
  CHECK(m.result == route_match::outcome::method_not_allowed);
  CHECK(m.allowed == std::vector<std::string>{"GET", "DELETE"});
}

TEST_CASE("http router: unknown paths, extra segments, empty parameters and bad escapes do "
          "not match") {
  router r;
  r.add("GET", "/v1/sessions/{id}");
  CHECK(r.match("GET", "/v1/agents").result == route_match::outcome::no_such_path);
  CHECK(r.match("GET", "/v1/sessions/a/b").result == route_match::outcome::no_such_path);
  CHECK(r.match("GET", "/v1/sessions//").result == route_match::outcome::no_such_path);
  CHECK(r.match("GET", "/v1/sessions/%zz").result == route_match::outcome::no_such_path);
  CHECK(r.match("GET", "/").result == route_match::outcome::no_such_path);
}

TEST_CASE("http target: the query is split and decoded, a malformed escape is refused") {
  auto t = parse_target("/v1/sessions/s/files?path=%2Fhome%2Fwork%2Fa+b.txt&flag&x=1");
  REQUIRE(t);
  CHECK(t->path == "/v1/sessions/s/files");
  CHECK(t->query.at("path") == "/home/work/a b.txt");
  CHECK(t->query.at("flag").empty());
  CHECK(t->query.at("x") == "1");
  CHECK(!parse_target("/x?path=%4"));
  CHECK(!parse_target("/x?path=%g1"));
  CHECK(parse_target("/plain")->query.empty());
}

TEST_CASE("http target: percent_encode and percent_decode round-trip any bytes") {
  std::string raw = "a b/c?d&e=f%\xff\x01";
  auto enc = percent_encode(raw);
  CHECK(enc.find_first_of(" /?&=") == std::string::npos);
  CHECK(percent_decode(enc, false) == raw);
  CHECK(percent_encode("/home/work/x y", true) == "/home/work/x%20y");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("a+b", false) == "a+b");
}

TEST_CASE("http router: a last segment {name...} takes the rest of the path, and * any method") {
  router r;
  auto label = r.add("*", "/v1/sessions/{id}/apps/{service}/{path...}");
  auto deep = r.match("POST", "/v1/sessions/s1/apps/httpd/a/b%20c/index.html");
  REQUIRE(deep.result == route_match::outcome::found);
  CHECK(deep.label == label);
  CHECK(deep.params["id"] == "s1");
  CHECK(deep.params["service"] == "httpd");
  CHECK(deep.params["path"] == "a/b%20c/index.html"); // still encoded: it is passed on as is
  auto root = r.match("GET", "/v1/sessions/s1/apps/httpd");
  REQUIRE(root.result == route_match::outcome::found);
  CHECK(root.params["path"].empty());
  CHECK(r.match("GET", "/v1/sessions/s1/apps").result == route_match::outcome::no_such_path);
}
