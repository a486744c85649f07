#pragma once

/// The two steps of a client's connection to the API, shared by blocking_client and
/// websocket_client: the TCP connect, and for an https:// URL the TLS handshake that verifies
/// the server.

#include <chrono>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <caf/error.hpp>

#include "runtime/http/client.hpp"

namespace baikal::http::detail {

/// Resolves and connects within `timeout`; unavailable saying which address failed.
caf::error connect_to(const blocking_client& api, boost::beast::tcp_stream& stream,
                      std::chrono::seconds timeout);

/// The client's handshake (SNI, the certificate's chain and name checked); unavailable with a
/// line that says what failed.
caf::error tls_handshake(const blocking_client& api,
                         boost::beast::ssl_stream<boost::beast::tcp_stream>& stream,
                         std::chrono::seconds timeout);

} // namespace baikal::http::detail
