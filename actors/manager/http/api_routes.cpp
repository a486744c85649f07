#include "actors/manager/http/api_routes.hpp"

#include <algorithm>

#include "actors/manager/http/api_handlers.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

struct route_entry {
  const char* method;
  const char* pattern;
  void (*handler)(const call_ptr&);
  bool is_public;
};

const route_entry route_table[] = {
    {"GET", "/v1/health", handlers::health, true},
    {"GET", "/metrics", handlers::metrics, true},
    {"GET", "/v1/agents", handlers::list_agents, false},
    {"POST", "/v1/agents/{id}/images/purge", handlers::purge_images, false},
    {"POST", "/v1/sessions", handlers::create_session, false},
    {"GET", "/v1/sessions", handlers::list_sessions, false},
    {"GET", "/v1/sessions/{id}", handlers::get_session, false},
    {"DELETE", "/v1/sessions/{id}", handlers::terminate_session, false},
    {"POST", "/v1/sessions/{id}/execute", handlers::execute, false},
    {"POST", "/v1/sessions/{id}/interrupt", handlers::interrupt, false},
    {"POST", "/v1/sessions/{id}/complete", handlers::complete, false},
    {"POST", "/v1/sessions/{id}/restart", handlers::restart, false},
    {"GET", "/v1/sessions/{id}/logs", handlers::logs, false},
    {"PUT", "/v1/sessions/{id}/files", handlers::upload_file, false},
    {"GET", "/v1/sessions/{id}/files", handlers::list_files, false},
    {"GET", "/v1/sessions/{id}/download", handlers::download, false},
    {"GET", "/v1/sessions/{id}/download-single", handlers::download_single, false},
    {"POST", "/v1/sessions/{id}/services/{name}", handlers::start_service, false},
    {"DELETE", "/v1/sessions/{id}/services/{name}", handlers::shutdown_service, false},
    {"POST", "/v1/sessions/{id}/commit", handlers::commit, false},
    {"GET", "/v1/sessions/{id}/commit", handlers::commit_status, false},
    {"GET", "/v1/events", handlers::events, false},
};

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

} // namespace

void install_api_routes(api_context& ctx) {
  for (auto& r : route_table) {
    auto label = ctx.routes.add(r.method, r.pattern);
    ctx.handlers[label] = r.handler;
    if (r.is_public)
      ctx.public_routes.push_back(label);
  }
}

http::router api_router() {
  http::router routes;
  for (auto& r : route_table)
    routes.add(r.method, r.pattern);
  return routes;
}

void serve_api_request(const std::shared_ptr<api_context>& ctx, http::http_request req,
                       http::responder res) {
  auto call = std::make_shared<api_call>();
  call->ctx = ctx;
  call->responder = std::move(res);
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
  call->params = std::move(found.params);
  auto& pub = ctx->public_routes;
  if (std::find(pub.begin(), pub.end(), call->route) == pub.end()) {
    auto user = authenticate(ctx->settings.users, call->req.header("authorization"));
    if (!user) {
      auto answer =
          error_response(401, "unauthorized",
                         call->req.header("authorization").empty()
                             ? "this call needs an \"Authorization: Bearer <token>\" header"
                             : "the bearer token is not known to this manager");
      answer.headers.emplace_back("WWW-Authenticate", "Bearer");
      return call->reply(std::move(answer));
    }
    call->user = std::move(*user);
  }
  ctx->handlers.at(call->route)(call);
}

uint64_t api_body_limit(const api_settings& settings, const http::http_request& head) {
  if (head.method == "PUT")
    return settings.max_upload_bytes;
  return settings.max_json_bytes;
}

http::http_response too_large_response(uint64_t limit) {
  return error_response(413, "invalid_argument",
                        "the request body is larger than this route accepts (" +
                            std::to_string(limit) + " bytes)");
}

http::http_response bad_request_response(const std::string& why) {
  return error_response(400, "invalid_argument", "malformed HTTP request: " + why);
}

} // namespace baikal
