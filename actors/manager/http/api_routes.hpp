#pragma once

/// The route table of the manager's HTTP API (architecture.md, "External contract") and the
/// entry point the HTTP server calls for every request: match the route, check the bearer
/// token, run the route's handler.

#include <memory>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

/// Fills `ctx.routes`, `ctx.handlers` and `ctx.public_routes`.
void install_api_routes(api_context& ctx);

/// The same routes without their handlers: for matching paths alone (tests/fuzz).
http::router api_router();

/// Serves one request; the answer goes through `res`, possibly later and from another thread.
void serve_api_request(const std::shared_ptr<api_context>& ctx, http::http_request req,
                       http::responder res);

/// The body limit for a request head: uploads may be large, everything else is JSON.
uint64_t api_body_limit(const api_settings& settings, const http::http_request& head);

/// The 413 answer for a body over `limit`.
http::http_response too_large_response(uint64_t limit);

/// The 400 answer for a request that is not HTTP.
http::http_response bad_request_response(const std::string& why);

} // namespace baikal
