#pragma once

/// How the blocking clients speak TLS to an https:// API: the server's certificate checked
/// against the system's CA store or a CA file, its name or address checked against the URL's
/// host, and a refusal said in one line that tells what to do.

#include <memory>
#include <string>

#include <boost/system/error_code.hpp>
#include <caf/expected.hpp>

struct ssl_st;

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace baikal::http {

struct client_tls {
  /// PEM CA bundle the server's certificate must chain to; empty: the system's store.
  std::string cacert;
  /// A client certificate and its key, for a server that asks for one (both or neither).
  std::string certificate;
  std::string key;
  /// What to do about an untrusted certificate, ending the error's line.
  std::string untrusted_hint = "pass the CA that signed it";
};

/// A context that verifies the server (TLS 1.2 or later); invalid_argument naming a file that
/// cannot be read or loaded.
caf::expected<std::shared_ptr<boost::asio::ssl::context>>
make_client_tls_context(const client_tls& tls);

/// Prepares a connection to `host`: SNI for a name, and the name or IP address the server's
/// certificate must carry. False when OpenSSL refuses it.
bool expect_server(ssl_st* ssl, const std::string& host);

/// The API's refusal of this client's certificate (or of its lack of one), which TLS 1.3 tells
/// only once the request goes out; nothing for any other error.
caf::error client_certificate_refused(const boost::system::error_code& ec,
                                      const std::string& where);

/// The one-line error of a failed handshake with `host:port`.
caf::error handshake_failure(const boost::system::error_code& ec, ssl_st* ssl,
                             const std::string& where, const std::string& hint);

} // namespace baikal::http
