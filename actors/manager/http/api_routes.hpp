#pragma once

/// The route table of the manager's HTTP API (architecture.md, "External contract") and the
/// entry point the HTTP server calls for every request: match the route, check the bearer
/// token, run the route's handler.

#include <memory>
#include <string>
#include <vector>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

/// Fills `ctx.routes`, `ctx.handlers`, `ctx.public_routes` and `ctx.shapes`.
void install_api_routes(api_context& ctx);

/// invalid_argument for a query parameter the route does not read, or a body on a route that
/// takes none (beyond an empty one or {}).
caf::error check_request_shape(const request_shape& shape, const http::http_request& req);

/// The same routes without their handlers: for matching paths alone (tests/fuzz).
http::router api_router();
/// One route of the table, as the router matches it.
struct api_route {
  std::string method;
  std::string pattern; ///< "/v1/sessions/{id}/files"
  bool is_public = false;
};

/// Every route of the table in order: what a test must cover to cover the whole API.
std::vector<api_route> api_route_list();

/// Serves one request; the answer goes through `res`, possibly later and from another thread.
void serve_api_request(const std::shared_ptr<api_context>& ctx, http::http_request req,
                       http::responder res);

/// The body limit for a request head: uploads may be large, everything else is JSON.
uint64_t api_body_limit(const api_settings& settings, const http::http_request& head);

/// Whether the route `head` asks for reads its body as it arrives (body_kind::stream).
bool api_streams_body(const api_context& ctx, const http::http_request& head);

/// The 413 answer for a body over `limit`.
http::http_response too_large_response(uint64_t limit);

/// The answer for a request the server refused before routing it (400, 408, 414, 429, 431):
/// the error JSON, with code too_many_requests for 429, timeout for 408, else invalid_argument.
http::http_response refusal_response(int status, const std::string& why);

} // namespace baikal
