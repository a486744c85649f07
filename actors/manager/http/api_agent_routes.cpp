#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_route_entry.hpp"
#include "messages/errors.hpp"
#include "runtime/json/json_writer.hpp"

/// The operators' routes on agents: drain and undrain. Only admin users may call them; the
/// manager front decides the rest (an unknown agent answers 404 from there).

namespace baikal::handlers {

namespace {

/// permission_denied unless the caller is an admin user.
caf::error check_admin(const api_user& user, const char* action) {
  if (user.admin)
    return {};
  return make_error(errc::permission_denied,
                    std::string{"only admin users may "} + action + " agents; user '" + user.name +
                        "' is not one (admin = true on its [[users]] entry in manager.toml)");
}

/// `{"id": AGENT, "drained": BOOL}`: what the agent is now.
http::http_response drain_answer(const agent_id& agent, bool drained) {
  json::writer w;
  w.begin_object();
  w.field("id", agent);
  w.field("drained", drained);
  w.end_object();
  return http::json_response(200, w.str());
}

template <bool Drained> void set_drain(const call_ptr& call) {
  if (auto err = check_admin(call->user, Drained ? "drain" : "undrain"))
    return call->fail(err);
  auto agent = call->param("id");
  ask_and_reply<ack>(call, call->ctx->manager, call->ctx->settings.manager_timeout,
                     api::set_agent_drain{agent, Drained, call->user.name},
                     [agent](const ack&) { return drain_answer(agent, Drained); });
}

} // namespace

} // namespace baikal::handlers

namespace baikal {

const std::vector<route_entry>& agent_route_entries() {
  using namespace handlers;
  static const std::vector<route_entry> rows{
      {"POST", "/v1/agents/{id}/drain", set_drain<true>, false, body_kind::none, {}},
      {"POST", "/v1/agents/{id}/undrain", set_drain<false>, false, body_kind::none, {}},
  };
  return rows;
}

} // namespace baikal
