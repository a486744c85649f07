// The routes about the manager itself rather than its sessions: readiness and the API's own
// description. Both are public: a load balancer or a client generator has no token.

#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_handlers.hpp"
#include "actors/manager/http/openapi_document.hpp"
#include "messages/errors.hpp"

namespace baikal::handlers {

void ready(const call_ptr& call) {
  auto not_ready = [call](const std::string& why) {
    call->reply(error_response(503, to_string(errc::unavailable), why));
  };
  if (call->ctx->stopping)
    return not_ready("the manager is stopping and accepts no new work");
  if (auto& standby = call->ctx->settings.standby) {
    auto leader = standby->leader_url();
    return not_ready(leader.empty() ? "this manager stands by; no manager leads the store yet"
                                    : "this manager stands by; the manager at " + leader +
                                          " leads and takes requests");
  }
  auto& ctx = *call->ctx;
  auto manager = ctx.manager;
  auto limit = ctx.settings.manager_timeout;
  ctx.sys.spawn([=](caf::event_based_actor* self) {
    answer_call_on_exception(self, call);
    self->request(manager, limit, api::check_ready{})
        .then([call](ack) { call->ok(R"({"ready":true})"); },
              [not_ready](caf::error& err) {
                not_ready("the manager does not take requests: " + message_of(err));
              });
  });
}

void openapi(const call_ptr& call) {
  call->ok(std::string{openapi_document()});
}

} // namespace baikal::handlers
