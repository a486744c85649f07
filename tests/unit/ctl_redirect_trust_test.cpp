// baikalctl follows a standby's redirect to the leader with its token only to a host named in
// --api: a redirect elsewhere goes without it.

#include <doctest/doctest.h>

#include "tools/baikalctl/redirect_trust.hpp"

using namespace baikal::ctl;

TEST_CASE("ctl redirect trust: the host of a URL, whatever its port, path or case") {
  CHECK(host_of("http://127.0.0.1:8081/v1/sessions") == "127.0.0.1");
  CHECK(host_of("https://Manager-B.Example.org") == "manager-b.example.org");
  CHECK(host_of("http://[::1]:8080/x") == "[::1]");
  CHECK(host_of("http://user:secret@evil.example:80/") == "evil.example");
  CHECK(host_of("manager:8081") == "");
}

TEST_CASE("ctl redirect trust: the token follows a redirect to a host named in --api only") {
  std::vector<std::string> api{"http://10.0.0.1:8081", "https://manager-b.example.org:8443"};
  // The leader on a named host, on another port than the one named: the token goes along.
  CHECK(redirect_keeps_token(api, "http://10.0.0.1:9000"));
  CHECK(redirect_keeps_token(api, "https://MANAGER-B.example.org:8443"));
  // Another host, however it is spelled, gets no token.
  CHECK_FALSE(redirect_keeps_token(api, "http://10.0.0.2:8081"));
  CHECK_FALSE(redirect_keeps_token(api, "http://10.0.0.1.evil.example:8081"));
  CHECK_FALSE(redirect_keeps_token(api, "http://evil.example@10.0.0.3:8081"));
  CHECK_FALSE(redirect_keeps_token(api, "not a url"));
  CHECK_FALSE(redirect_keeps_token({}, "http://10.0.0.1:8081"));
}
