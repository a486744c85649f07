#include "actors/manager/http/api_routes.hpp"

#include <algorithm>

#include "actors/manager/http/api_handlers.hpp"
#include "actors/manager/http/api_route_entry.hpp"
#include "actors/manager/http/console_route.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/http/target.hpp"
#include "runtime/json/json_reader.hpp"

namespace baikal {

namespace {

constexpr auto none = body_kind::none;
constexpr auto json_body = body_kind::json;

/// The session routes, then the kernel routes, the agent routes, then the event stream: the
/// order of api_route_list.
const std::vector<route_entry>& route_table() {
  static const std::vector<route_entry> rows = [] {
    std::vector<route_entry> all{
        {"GET", "/v1/health", handlers::health, true, none, {}},
        {"GET", "/v1/ready", handlers::ready, true, none, {}},
        {"GET", "/v1/openapi.json", handlers::openapi, true, none, {}},
        {"GET", "/metrics", handlers::metrics, true, none, {}},
        {"GET", "/v1/agents", handlers::list_agents, false, none, {}},
        {"POST", "/v1/agents/{id}/images/purge", handlers::purge_images, false, json_body, {}},
        {"GET", "/v1/images", handlers::list_images, false, none, {}},
        {"POST", "/v1/sessions", handlers::create_session, false, json_body, {}},
        {"GET", "/v1/sessions", handlers::list_sessions, false, none, {"status", "limit", "after"}},
        {"GET", "/v1/sessions/{id}", handlers::get_session, false, none, {}},
        {"DELETE", "/v1/sessions/{id}", handlers::terminate_session, false, none, {}},
        {"GET", "/v1/sessions/{id}/history", handlers::session_history, false, none, {}},
        {"POST", "/v1/folders", handlers::create_folder, false, json_body, {}},
        {"GET", "/v1/folders", handlers::list_folders, false, none, {}},
        {"DELETE", "/v1/folders/{name}", handlers::delete_folder, false, none, {}},
    };
    auto& kernel = kernel_route_entries();
    all.insert(all.end(), kernel.begin(), kernel.end());
    auto& apps = app_route_entries();
    all.insert(all.end(), apps.begin(), apps.end());
    auto& live = live_route_entries();
    all.insert(all.end(), live.begin(), live.end());
    auto& agent = agent_route_entries();
    all.insert(all.end(), agent.begin(), agent.end());
    all.push_back(
        {"GET", "/v1/events", handlers::events, false, none, {"session", "type", "last_event_id"}});
    return all;
  }();
  return rows;
}

/// "/v1/sessions/ID/apps/...": the app proxy's path.
bool is_app_path(const std::string& target) {
  auto segments = http::path_segments(target.substr(0, target.find('?')));
  return segments.size() >= 5 && segments[0] == "v1" && segments[1] == "sessions" &&
         segments[3] == "apps";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

} // namespace

void install_api_routes(api_context& ctx) {
  for (auto& r : route_table()) {
    auto label = ctx.routes.add(r.method, r.pattern);
    ctx.handlers[label] = r.handler;
    if (r.is_public)
      ctx.public_routes.push_back(label);
    ctx.shapes[label] =
        request_shape{r.body == body_kind::none, r.body == body_kind::stream, r.query};
  }
}

caf::error check_request_shape(const request_shape& shape, const http::http_request& req) {
  bool any_query = shape.query.size() == 1 && shape.query.front() == "*";
  for (auto& [name, value] : req.query)
    if (!any_query && std::find(shape.query.begin(), shape.query.end(), name) == shape.query.end())
      return make_error(errc::invalid_argument,
                        "unknown query parameter \"" + checks::shown(name) + "\"" +
                            (shape.query.empty() ? std::string{"; this route takes none"}
                                                 : "; this route takes " + joined(shape.query)));
  if (shape.no_body) {
    // Clients may send an empty object with any POST; anything more is a mistake to point out.
    auto doc = json::parse_object(req.body);
    if (!doc || doc->MemberCount() > 0)
      return make_error(errc::invalid_argument,
                        "this route takes no request body (an empty one or {} is accepted)");
  }
  return {};
}

http::router api_router() {
  http::router routes;
  for (auto& r : route_table())
    routes.add(r.method, r.pattern);
  return routes;
}

std::vector<api_route> api_route_list() {
  std::vector<api_route> out;
  for (auto& r : route_table())
    out.push_back(api_route{r.method, r.pattern, r.is_public});
  return out;
}

void serve_api_request(const std::shared_ptr<api_context>& ctx, http::http_request req,
                       http::responder res) {
  auto call = std::make_shared<api_call>();
  call->ctx = ctx;
  call->responder = std::move(res);
  auto* standby = ctx->settings.standby.get();
  if (is_console_path(req.path)) {
    call->route = "console";
    return call->reply(standby ? standby_redirect(*standby, req.target) : console_response(req));
  }
  auto found = ctx->routes.match(req.method, req.path);
  call->req = std::move(req);
  if (found.result == http::route_match::outcome::no_such_path) {
    call->route = "unmatched";
    return call->reply(error_response(404, "not_found",
                                      "no API route " + call->req.method + " " + call->req.path));
  }
  if (found.result == http::route_match::outcome::method_not_allowed) {
    call->route = "unmatched";
    auto answer = error_response(405, "invalid_argument",
                                 call->req.path + " takes " + joined(found.allowed) + ", not " +
                                     call->req.method);
    answer.headers.emplace_back("Allow", joined(found.allowed));
    return call->reply(std::move(answer));
  }
  call->route = found.label;
  if (standby && !standby_serves(call->route))
    return call->reply(standby_redirect(*standby, call->req.target));
  call->params = std::move(found.params);
  auto& pub = ctx->public_routes;
  if (std::find(pub.begin(), pub.end(), call->route) == pub.end()) {
    auto user = authenticate_request(ctx->settings.users, call->req);
    if (!user) {
      bool sent = !call->req.header("authorization").empty() ||
                  !subprotocol_token(call->req.header("sec-websocket-protocol")).empty();
      auto answer = error_response(
          401, "unauthorized",
          sent ? "the bearer token is not known to this manager"
               : "this call needs an \"Authorization: Bearer <token>\" header (a WebSocket may "
                 "offer the subprotocol \"bearer.<token>\" instead)");
      answer.headers.emplace_back("WWW-Authenticate", "Bearer");
      return call->reply(std::move(answer));
    }
    call->user = std::move(*user);
  }
  // Every matched label has its shape and handler (install_api_routes adds them together).
  auto shape = ctx->shapes.find(call->route);
  auto handler = ctx->handlers.find(call->route);
  if (shape == ctx->shapes.end() || handler == ctx->handlers.end())
    return call->fail(
        make_error(errc::runtime_error, "the route " + call->route + " has no handler"));
  if (auto err = check_request_shape(shape->second, call->req))
    return call->fail(err);
  handler->second(call);
}

bool api_streams_body(const api_context& ctx, const http::http_request& head) {
  auto split = http::parse_target(head.target);
  if (!split)
    return false;
  auto found = ctx.routes.match(head.method, split->path);
  if (found.result != http::route_match::outcome::found)
    return false;
  auto shape = ctx.shapes.find(found.label);
  return shape != ctx.shapes.end() && shape->second.streamed_body;
}

uint64_t api_body_limit(const api_settings& settings, const http::http_request& head) {
  // A kernel's app takes what it takes (forms, uploads): the upload limit bounds it.
  if (head.method == "PUT" || is_app_path(head.target))
    return settings.max_upload_bytes;
  return settings.max_json_bytes;
}

http::http_response too_large_response(uint64_t limit) {
  return error_response(413, "invalid_argument",
                        "the request body is larger than this route accepts (" +
                            std::to_string(limit) + " bytes)");
}

http::http_response refusal_response(int status, const std::string& why) {
  auto code = status == 429 ? "too_many_requests" : status == 408 ? "timeout" : "invalid_argument";
  return error_response(status, code, why);
}

} // namespace baikal
