// The request the app proxy sends on: the client's hop and credentials stay behind, the
// upstream closes after a plain answer, a WebSocket upgrade keeps its headers.

#include <doctest/doctest.h>

#include "runtime/http/proxy_request.hpp"

using namespace baikal::http;

namespace {

http_request request(std::string method, std::map<std::string, std::string> headers,
                     std::string body = {}) {
  http_request r;
  r.method = std::move(method);
  r.target = "/v1/sessions/s1/apps/httpd/x";
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

proxy_hop hop() {
  return {"/x?y=1", "10.0.0.5:30001", "/v1/sessions/s1/apps/httpd", "192.0.2.7"};
}

} // namespace

TEST_CASE("app proxy request: the user's token, the client's hop and its Host stay behind") {
  auto out = proxied_request(request("POST",
                                     {{"authorization", "Bearer secret-token"},
                                      {"connection", "keep-alive, x-private"},
                                      {"x-private", "drop me"},
                                      {"keep-alive", "timeout=5"},
                                      {"transfer-encoding", "chunked"},
                                      {"host", "manager:8090"},
                                      {"x-forwarded-for", "198.51.100.1"},
                                      {"content-type", "text/plain"}},
                                     "hello"),
                             hop());
  CHECK(out.rfind("POST /x?y=1 HTTP/1.1\r\nHost: 10.0.0.5:30001\r\n", 0) == 0);
  CHECK(out.find("secret-token") == std::string::npos);
  CHECK(out.find("drop me") == std::string::npos);
  CHECK(out.find("timeout=5") == std::string::npos);
  CHECK(out.find("chunked") == std::string::npos);
  CHECK(out.find("manager:8090") == std::string::npos);
  CHECK(out.find("content-type: text/plain\r\n") != std::string::npos);
  CHECK(out.find("X-Forwarded-For: 198.51.100.1, 192.0.2.7\r\n") != std::string::npos);
  CHECK(out.find("X-Forwarded-Prefix: /v1/sessions/s1/apps/httpd\r\n") != std::string::npos);
  CHECK(out.find("Connection: close\r\n") != std::string::npos);
  CHECK(out.find("Content-Length: 5\r\n\r\nhello") == out.size() - 26);
}

TEST_CASE("app proxy request: a WebSocket upgrade keeps its handshake and its connection") {
  auto req = request("GET", {{"connection", "Upgrade"},
                             {"upgrade", "websocket"},
                             {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="},
                             {"sec-websocket-version", "13"}});
  REQUIRE(is_websocket_upgrade(req));
  auto out = proxied_request(req, hop());
  CHECK(out.find("Connection: Upgrade\r\nUpgrade: websocket\r\n") != std::string::npos);
  CHECK(out.find("sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n") != std::string::npos);
  CHECK(out.find("Connection: close") == std::string::npos);
  CHECK(out.substr(out.size() - 4) == "\r\n\r\n");
  CHECK_FALSE(is_websocket_upgrade(request("GET", {{"upgrade", "websocket"}})));
  CHECK_FALSE(
      is_websocket_upgrade(request("POST", {{"connection", "upgrade"}, {"upgrade", "websocket"}})));
}

TEST_CASE("app proxy request: a header value cannot smuggle a second request") {
  auto out = proxied_request(request("GET", {{"x-evil", "a\r\nGET /admin HTTP/1.1"}}), hop());
  CHECK(out.find("/admin") == std::string::npos);
}

TEST_CASE("app proxy request: the target after the app's prefix keeps its query and root") {
  CHECK(target_after("/v1/sessions/s1/apps/httpd/a/b?x=1", 5) == "/a/b?x=1");
  CHECK(target_after("/v1/sessions/s1/apps/httpd", 5) == "/");
  CHECK(target_after("/v1/sessions/s1/apps/httpd/", 5) == "/");
  CHECK(target_after("/v1/sessions/s1/apps/httpd?x=1", 5) == "/?x=1");
  CHECK(target_after("/v1/sessions/s1/apps/httpd/dir/", 5) == "/dir/");
}
