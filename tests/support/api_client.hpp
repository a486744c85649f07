#pragma once

/// Calls a running HTTP API over a real socket as a user would (blocking_client), and reads
/// its JSON answers. Every answer is checked against docs/openapi.yaml (openapi_check.hpp): one
/// the document does not describe fails the test that received it.

#include <doctest/doctest.h>

#include <string>

#include <rapidjson/document.h>

#include "messages/errors.hpp"
#include "runtime/http/client.hpp"
#include "support/openapi_check.hpp"
#include "support/why.hpp"

namespace baikal::test {

struct api_answer {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string location;     ///< a redirect's Location header
  rapidjson::Document json; ///< parsed when the body is JSON

  std::string str(const char* key) const {
    // An array (a history, a listing) has no members: MemberEnd() on it is an assertion.
    if (!json.IsObject())
      return {};
    auto i = json.FindMember(key);
    if (i == json.MemberEnd() || !i->value.IsString())
      return {};
    return i->value.GetString();
  }
};

struct api_client {
  uint16_t port = 0;
  std::string token; ///< empty: no Authorization header
  std::string host = "127.0.0.1";
  std::string cacert = {}; ///< set: the API speaks https:// with a certificate this CA signed

  std::string url() const {
    return (cacert.empty() ? "http://" : "https://") + host + ":" + std::to_string(port);
  }

  caf::expected<http::blocking_client> client() const {
    http::client_tls tls;
    tls.cacert = cacert;
    return http::blocking_client::make(url(), tls);
  }

  api_answer call(const std::string& method, const std::string& target, std::string body = {},
                  std::string content_type = "application/json") const {
    auto client = this->client();
    REQUIRE_MESSAGE(client, why(client));
    http::client_request req;
    req.method = method;
    req.target = target;
    req.body = std::move(body);
    req.content_type = std::move(content_type);
    if (!token.empty())
      req.headers["Authorization"] = "Bearer " + token;
    auto res = client->send(req);
    REQUIRE_MESSAGE(res, why(res));
    api_answer out;
    out.status = res->status;
    out.content_type = res->content_type;
    out.body = std::move(res->body);
    out.location = std::move(res->location);
    if (out.content_type.rfind("application/json", 0) == 0)
      out.json.Parse(out.body.c_str());
    auto undocumented =
        baikal_openapi().check(method, target, out.status, out.content_type, out.body);
    CHECK_MESSAGE(undocumented.empty(), undocumented);
    return out;
  }

  api_answer get(const std::string& target) const { return call("GET", target); }
  api_answer post(const std::string& target, std::string body = "{}") const {
    return call("POST", target, std::move(body));
  }
  api_answer del(const std::string& target) const { return call("DELETE", target); }
};

/// What an execute answer printed on stdout, its console entries in order.
inline std::string stdout_of(const api_answer& res) {
  std::string out;
  if (!res.json.IsObject() || !res.json.HasMember("console"))
    return out;
  for (auto& item : res.json["console"].GetArray())
    if (std::string{item[0].GetString()} == "stdout")
      out += item[1].GetString();
  return out;
}

} // namespace baikal::test
