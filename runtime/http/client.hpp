#pragma once

/// A small blocking HTTP/1.1 client for command-line tools (baikalctl) and tests: one
/// connection per call, plain HTTP or HTTPS (the server's certificate verified, client_tls.hpp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "runtime/http/client_tls.hpp"

namespace baikal::http {

struct client_response {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string location; ///< the Location header of a redirect, empty when none
};

/// Bytes of a body moved so far and in all (0 when the length is unknown).
using transfer_progress_fn = std::function<void(uint64_t done, uint64_t total)>;

struct client_request {
  std::string method = "GET";
  std::string target = "/"; ///< path and query, already encoded
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
  transfer_progress_fn upload_progress;   ///< called as the request's body is written
  transfer_progress_fn download_progress; ///< called as the answer's body arrives
};

class blocking_client {
public:
  /// `base_url` is "http://host:port" or "https://host:port" with an optional path prefix;
  /// `tls` says how an https:// server is verified (and is not used for http://).
  static caf::expected<blocking_client> make(const std::string& base_url,
                                             const client_tls& tls = {});

  caf::expected<client_response>
  send(const client_request& req, std::chrono::seconds timeout = std::chrono::seconds(300)) const;

  /// Sends `req` and hands the response body to `on_data` piece by piece as it arrives, until
  /// the server ends it or `on_data` answers false; answers the status.
  caf::expected<int> stream(const client_request& req,
                            const std::function<bool(std::string_view)>& on_data) const;

  /// The same, telling `on_status` the status before any of the body arrives.
  caf::expected<int> stream(const client_request& req, const std::function<void(int)>& on_status,
                            const std::function<bool(std::string_view)>& on_data) const;

  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }
  /// The URL's path prefix ("" or "/api"), which every target goes under.
  const std::string& prefix() const { return prefix_; }
  /// The TLS context of an https:// URL; null for http://.
  const std::shared_ptr<boost::asio::ssl::context>& tls_context() const { return tls_; }
  /// What to do about an untrusted server certificate (client_tls::untrusted_hint).
  const std::string& untrusted_hint() const { return untrusted_hint_; }

private:
  std::string host_;
  std::string port_;
  std::string prefix_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::string untrusted_hint_;
};

} // namespace baikal::http
