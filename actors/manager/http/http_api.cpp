#include "actors/manager/http/http_api.hpp"

#include "actors/manager/http/api_call.hpp"
#include "actors/manager/http/api_routes.hpp"

namespace baikal {

http_api::http_api(caf::actor_system& sys, manager_actor manager, api_settings settings) {
  ctx_ = std::make_shared<api_context>(sys, std::move(manager), std::move(settings));
  install_api_routes(*ctx_);
  http::server_options opts;
  opts.host = ctx_->settings.host;
  opts.port = ctx_->settings.port;
  opts.threads = ctx_->settings.threads;
  opts.stop_grace = ctx_->settings.stop_grace;
  auto ctx = ctx_;
  opts.body_limit = [ctx](const http::http_request& head) {
    return api_body_limit(ctx->settings, head);
  };
  opts.stream_body = [ctx](const http::http_request& head) { return api_streams_body(*ctx, head); };
  opts.too_large = [ctx](uint64_t limit) {
    auto res = too_large_response(limit);
    ctx->counters.count("unmatched", res.status);
    return res;
  };
  opts.refuse = [ctx](int status, const std::string& why) {
    auto res = refusal_response(status, why);
    ctx->counters.count("unmatched", res.status);
    return res;
  };
  auto& st = ctx_->settings;
  opts.idle_timeout = st.idle_timeout;
  opts.header_timeout = st.header_timeout;
  opts.max_header_bytes = st.max_header_bytes;
  opts.max_target_bytes = st.max_target_bytes;
  opts.max_connections_per_address = st.max_connections_per_address;
  opts.tls = st.tls;
  server_ = std::make_unique<http::server>(std::move(opts),
                                           [ctx](http::http_request req, http::responder res) {
                                             serve_api_request(ctx, std::move(req), std::move(res));
                                           });
}

http_api::~http_api() {
  stop();
}

caf::expected<uint16_t> http_api::start(unique_fd listener) {
  return server_->start(std::move(listener));
}

void http_api::stop() {
  ctx_->stopping = true;
  server_->stop();
}

unique_fd http_api::hand_over_listener() {
  ctx_->stopping = true;
  return server_->hand_over_listener();
}

uint16_t http_api::port() const {
  return server_->port();
}

} // namespace baikal
