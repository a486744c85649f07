#pragma once

/// baikalctl's view of the API: calls with the bearer token, answers parsed as JSON, and the
/// API's error JSON turned into one readable line.

#include <cstdint>
#include <string>

#include <caf/expected.hpp>
#include <rapidjson/document.h>

#include "runtime/http/client.hpp"
#include "tools/baikalctl/ctl_args.hpp"

namespace baikal::ctl {

struct api_reply {
  int status = 0;
  std::string body;
  rapidjson::Document json; ///< parsed when the body is JSON
};

class ctl_client {
public:
  static caf::expected<ctl_client> make(const ctl_args& args);

  /// Sends a call; a status of 400 and above becomes an error carrying the API's message.
  caf::expected<api_reply> call(const std::string& method, const std::string& target,
                                std::string body = {},
                                const std::string& content_type = "application/json") const;

  caf::expected<api_reply> get(const std::string& target) const { return call("GET", target); }

  /// call() with a request made by the caller (to follow a transfer's progress, say); the
  /// bearer token is added.
  caf::expected<api_reply> send(http::client_request req) const;

  /// The id of the session `ref` names (an id, or the name of one of the caller's sessions).
  caf::expected<std::string> resolve_session(const std::string& ref) const;

  const http::blocking_client& http() const { return http_; }
  const std::string& token() const { return token_; }

private:
  http::blocking_client http_;
  std::string token_;
  http::client_tls tls_; ///< for the leader a standby sends a request to
  /// Every URL of --api: a redirect keeps the token only to their hosts (redirect_trust.hpp).
  std::vector<std::string> api_urls_;
};

/// "message (code, HTTP status)" from an error body, or the body itself when it is not one.
std::string describe_api_error(int status, const std::string& body);

/// A string member of `v`, empty when absent.
std::string str(const rapidjson::Value& v, const char* key);

/// An integer member of `v`, 0 when absent or not an integer.
int64_t integer(const rapidjson::Value& v, const char* key);

/// The member `key` of `v`; a null value when `v` is not an object or has no such member
/// (the API's answers are read without trusting their shape).
const rapidjson::Value& member(const rapidjson::Value& v, const char* key);

/// The member `key` of `v` when it is an array; an empty array otherwise.
const rapidjson::Value& array_member(const rapidjson::Value& v, const char* key);

/// Writes `v` as compact JSON.
std::string to_json(const rapidjson::Value& v);

} // namespace baikal::ctl
