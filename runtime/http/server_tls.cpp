#include "runtime/http/server_tls.hpp"

#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "messages/errors.hpp"
#include "runtime/http/tls_files.hpp"

namespace baikal::http {

namespace ssl = boost::asio::ssl;

namespace {

caf::error missing_paths(const server_tls& tls, const std::string& prefix) {
  std::string missing;
  if (tls.certificate.empty())
    missing = prefix + "certificate";
  if (tls.key.empty())
    missing += (missing.empty() ? "" : ", ") + prefix + "key";
  if (missing.empty())
    return {};
  return make_error(errc::invalid_argument,
                    "TLS for the API needs a certificate and its key; missing: " + missing);
}

} // namespace

caf::expected<std::shared_ptr<ssl::context>> make_server_tls_context(const server_tls& tls,
                                                                     const std::string& prefix) {
  if (auto err = missing_paths(tls, prefix))
    return err;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  // Renegotiation is a way for a client to make the server work again and again for nothing.
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_RENEGOTIATION);
  // A daemon has no terminal to ask a passphrase on: an encrypted key fails to load instead.
  ctx->set_password_callback([](size_t, ssl::context::password_purpose) { return std::string{}; });
  boost::system::error_code ec;
  auto cert_key = prefix + "certificate";
  auto key_key = prefix + "key";
  // The key first: OpenSSL refuses a key that does not match the certificate already loaded
  // as if it were no key, while a certificate loaded after a key of another one is taken, and
  // the check below then says what is wrong.
  if (auto err = check_readable(key_key, tls.key))
    return err;
  if (ctx->use_private_key_file(tls.key, ssl::context::pem, ec); ec)
    return tls_file_error(key_key, tls.key, "holds no unencrypted PEM private key");
  if (auto err = check_readable(cert_key, tls.certificate))
    return err;
  if (ctx->use_certificate_chain_file(tls.certificate, ec); ec)
    return tls_file_error(cert_key, tls.certificate,
                          "holds no PEM certificate (" + ec.message() + ")");
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    return tls_file_error(key_key, tls.key,
                          "does not belong to " + cert_key + " " + tls.certificate);
  if (!tls.client_ca.empty()) {
    auto ca_key = prefix + "client_ca";
    if (auto err = check_readable(ca_key, tls.client_ca))
      return err;
    if (ctx->load_verify_file(tls.client_ca, ec); ec)
      return tls_file_error(ca_key, tls.client_ca,
                            "holds no PEM certificate (" + ec.message() + ")");
    // The CA's names go into the handshake, so a client with several certificates picks the
    // right one.
    if (auto* names = SSL_load_client_CA_file(tls.client_ca.c_str()))
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  ERR_clear_error();
  return ctx;
}

} // namespace baikal::http
