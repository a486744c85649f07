#pragma once

/// The files the HTTP server serves TLS with (manager.toml's [api.tls]) and the OpenSSL context
/// made from them: TLS 1.2 and later only, and, with a client CA, only clients that present a
/// certificate it signed.

#include <memory>
#include <string>

#include <caf/expected.hpp>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace baikal::http {

struct server_tls {
  std::string certificate; ///< PEM: the server's certificate, then any intermediate ones
  std::string key;         ///< PEM private key of that certificate (unencrypted)
  std::string client_ca;   ///< PEM CA bundle; when set, clients must present a certificate
                           ///< it signed

  /// Whether TLS is asked for at all (some path is given).
  bool enabled() const { return !certificate.empty() || !key.empty() || !client_ca.empty(); }
};

/// The server's context. A missing path, a file that cannot be read or holds no PEM of the kind
/// expected, or a key of another certificate is invalid_argument naming the file by its key
/// (`key_prefix` + "certificate", "key" or "client_ca": "api.tls.key /etc/x.key cannot be read").
caf::expected<std::shared_ptr<boost::asio::ssl::context>>
make_server_tls_context(const server_tls& tls, const std::string& key_prefix = {});

} // namespace baikal::http
