#pragma once

/// The request a reverse proxy sends on: the client's request for a new target, without what
/// belongs to the hop from the client (its connection headers, its credentials for the proxy)
/// and with where it came from. A plain request asks the upstream to close after its answer,
/// so that the answer's end is the connection's end and the next request on the client's
/// connection is checked by the proxy again; a WebSocket upgrade keeps the connection.

#include <string>

#include "runtime/http/http_message.hpp"

namespace baikal::http {

struct proxy_hop {
  std::string target;      ///< path and query at the upstream ("/index.html?x=1")
  std::string host;        ///< the upstream's Host header ("10.0.0.5:30001")
  std::string prefix;      ///< the path the client used up to the upstream's root
  std::string client_addr; ///< the client's address, for X-Forwarded-For
};

/// Whether `req` asks to switch to the WebSocket protocol.
bool is_websocket_upgrade(const http_request& req);

/// The bytes of the request to send upstream: request line, headers, body.
std::string proxied_request(const http_request& req, const proxy_hop& hop);

/// The part of `target` (path and query, as sent) after its first `segments` path segments,
/// always starting with '/': "/a/b/c/d?q" after 2 is "/c/d?q"; "/a/b" after 2 is "/".
std::string target_after(const std::string& target, size_t segments);

} // namespace baikal::http
