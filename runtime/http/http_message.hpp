#pragma once

/// A request and a response of the HTTP server as plain values: handlers and their tests need
/// no Beast types.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baikal::http {

struct http_request {
  std::string method; ///< "GET", "POST", ...
  std::string target; ///< as sent: path and query
  std::string path;   ///< the path part, still percent-encoded (the router decodes segments)
  std::map<std::string, std::string> query;   ///< decoded
  std::map<std::string, std::string> headers; ///< names in lower case
  std::string body;
  std::string remote; ///< peer address, for logs

  /// The header's value, empty when absent; `name` in lower case.
  std::string header(const std::string& name) const {
    auto i = headers.find(name);
    return i == headers.end() ? std::string{} : i->second;
  }
};

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// A JSON response with `status`.
inline http_response json_response(int status, std::string body) {
  return http_response{status, "application/json", std::move(body), {}};
}

} // namespace baikal::http
