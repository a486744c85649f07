#include "runtime/http/client_tls.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "messages/errors.hpp"
#include "runtime/http/tls_files.hpp"

namespace baikal::http {

namespace ssl = boost::asio::ssl;

namespace {

caf::error load_client_certificate(ssl::context& ctx, const client_tls& tls) {
  if (tls.certificate.empty() != tls.key.empty())
    return make_error(errc::invalid_argument,
                      "a client certificate needs its key, and a key its certificate");
  if (tls.certificate.empty())
    return {};
  boost::system::error_code ec;
  // The key first, as in make_server_tls_context: a mismatch is then said as one.
  if (auto err = check_readable("the client key", tls.key))
    return err;
  if (ctx.use_private_key_file(tls.key, ssl::context::pem, ec); ec)
    return tls_file_error("the client key", tls.key, "holds no unencrypted PEM private key");
  if (auto err = check_readable("the client certificate", tls.certificate))
    return err;
  if (ctx.use_certificate_chain_file(tls.certificate, ec); ec)
    return tls_file_error("the client certificate", tls.certificate, "holds no PEM certificate");
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    return tls_file_error("the client key", tls.key, "does not belong to " + tls.certificate);
  return {};
}

} // namespace

caf::expected<std::shared_ptr<ssl::context>> make_client_tls_context(const client_tls& tls) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_password_callback([](size_t, ssl::context::password_purpose) { return std::string{}; });
  boost::system::error_code ec;
  if (tls.cacert.empty()) {
    if (ctx->set_default_verify_paths(ec); ec)
      return make_error(errc::runtime_error,
                        "cannot load the system's CA certificates: " + ec.message());
  } else {
    if (auto err = check_readable("the CA file", tls.cacert))
      return err;
    if (ctx->load_verify_file(tls.cacert, ec); ec)
      return tls_file_error("the CA file", tls.cacert, "holds no PEM certificate");
  }
  if (auto err = load_client_certificate(*ctx, tls))
    return err;
  ctx->set_verify_mode(ssl::verify_peer);
  ERR_clear_error();
  return ctx;
}

bool expect_server(ssl_st* ssl, const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  auto* param = SSL_get0_param(ssl);
  if (!ec) // an address is checked against the certificate's IP entries; it takes no SNI
    return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  // SSL_set_tlsext_host_name, without the macro's C cast.
  auto* name = const_cast<char*>(host.c_str());
  return SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, name) == 1 &&
         SSL_set1_host(ssl, host.c_str()) == 1;
}

caf::error client_certificate_refused(const boost::system::error_code& ec,
                                      const std::string& where) {
  if (ec.category() != boost::asio::error::get_ssl_category())
    return {};
  auto reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
  if (reason != SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED &&
      reason != SSL_R_SSLV3_ALERT_BAD_CERTIFICATE && reason != SSL_R_TLSV1_ALERT_UNKNOWN_CA)
    return {};
  return make_error(errc::permission_denied,
                    "the API at " + where +
                        " wants a client certificate its CA signed, and this client gave none "
                        "or another (" +
                        ec.message() + ")");
}

caf::error handshake_failure(const boost::system::error_code& ec, ssl_st* ssl,
                             const std::string& where, const std::string& hint) {
  ERR_clear_error();
  auto verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) {
    std::string why = X509_verify_cert_error_string(verdict);
    if (verdict == X509_V_ERR_HOSTNAME_MISMATCH || verdict == X509_V_ERR_IP_ADDRESS_MISMATCH)
      return make_error(errc::unavailable, "the certificate of the API at " + where +
                                               " is not for that address (" + why + ")");
    return make_error(errc::unavailable, "the certificate of the API at " + where +
                                             " is not trusted (certificate verify failed: " + why +
                                             "); " + hint);
  }
  if (ec == ssl::error::stream_truncated || ec == boost::asio::error::eof)
    return make_error(errc::unavailable, "the API at " + where +
                                             " ended the TLS handshake (does it want a client "
                                             "certificate, or is it served over plain http://?)");
  return make_error(errc::unavailable, "the TLS handshake with the API at " + where + " failed: " +
                                           ec.message() + " (is it served over plain http://?)");
}

} // namespace baikal::http
