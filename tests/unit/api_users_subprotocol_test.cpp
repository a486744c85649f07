// A browser's WebSocket cannot carry an Authorization header: it offers its token as the
// subprotocol "bearer.<token>", which counts only on an upgrade with no Authorization header.

#include <doctest/doctest.h>

#include "actors/manager/http/api_users.hpp"

using namespace baikal;

namespace {

const std::vector<api_user> users{{"alice", {}, "token-alice", false}};

http::http_request upgrade(const std::string& protocols) {
  http::http_request req;
  req.method = "GET";
  req.path = "/v1/sessions/s/stream";
  req.headers["connection"] = "Upgrade";
  req.headers["upgrade"] = "websocket";
  req.headers["sec-websocket-protocol"] = protocols;
  return req;
}

} // namespace

TEST_CASE("subprotocol token: found among the offered protocols, blanks trimmed") {
  CHECK(subprotocol_token("baikal.v1, bearer.abc") == "abc");
  CHECK(subprotocol_token("bearer.abc,baikal.v1") == "abc");
  CHECK(subprotocol_token(" bearer.x-1 ") == "x-1");
  CHECK(subprotocol_token("baikal.v1") == "");
  CHECK(subprotocol_token("bearer.") == "");
  CHECK(subprotocol_token("") == "");
  CHECK(subprotocol_token("notbearer.abc") == "");
}

TEST_CASE("subprotocol token: authenticates an upgrade without an Authorization header") {
  auto user = authenticate_request(users, upgrade("baikal.v1, bearer.token-alice"));
  REQUIRE(user);
  CHECK(user->name == "alice");
  CHECK_FALSE(authenticate_request(users, upgrade("baikal.v1, bearer.wrong")));
  CHECK_FALSE(authenticate_request(users, upgrade("baikal.v1")));
}

TEST_CASE("subprotocol token: the Authorization header wins, and a plain request's offer counts "
          "for nothing") {
  auto req = upgrade("baikal.v1, bearer.token-alice");
  req.headers["authorization"] = "Bearer wrong";
  CHECK_FALSE(authenticate_request(users, req));
  auto plain = upgrade("baikal.v1, bearer.token-alice");
  plain.headers.erase("upgrade");
  plain.headers.erase("connection");
  CHECK_FALSE(authenticate_request(users, plain));
  req.headers["authorization"] = "Bearer token-alice";
  CHECK(authenticate_request(users, req));
}
