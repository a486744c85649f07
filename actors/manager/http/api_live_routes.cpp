// The live routes: `/v1/sessions/{id}/stream` (output of runs as it is printed) and
// `/v1/sessions/{id}/pty` (a terminal). Each checks the request and finds the session's main
// kernel while it is still plain HTTP, so a wrong session or size answers an ordinary error;
// then the connection becomes a WebSocket bridged to the kernel by an actor of
// actors/manager/live/.

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actors/manager/http/api_route_entry.hpp"
#include "actors/manager/live/live_frames.hpp"
#include "actors/manager/live/run_stream.hpp"
#include "actors/manager/live/terminal_bridge.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "messages/live_interface.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/http/proxy_request.hpp"

namespace baikal::handlers {

namespace {

using spawn_bridge = std::function<caf::actor(live::live_setup)>;

/// The WebSocket's callbacks, which run on its Asio strand: the bridge is spawned when the
/// handshake succeeded and hears of every message and of the end.
http::websocket_handlers bridge_handlers(const call_ptr& call, const kernel_route& route,
                                         spawn_bridge spawn) {
  auto bridge = std::make_shared<caf::actor>();
  auto& settings = call->ctx->settings;
  live::live_setup setup{route, {}, settings.limits, settings.agent_timeout, call->user.name};
  http::websocket_handlers h;
  h.opened = [bridge, setup, spawn](std::shared_ptr<http::websocket> ws) mutable {
    setup.ws = ws;
    *bridge = spawn(std::move(setup));
  };
  h.received = [bridge](std::string data, bool binary) {
    if (*bridge)
      caf::anon_send(*bridge, ws_data_atom::value, std::move(data), binary);
  };
  h.closed = [bridge](const std::string& why) {
    if (*bridge)
      caf::anon_send(*bridge, ws_closed_atom::value, why);
  };
  // A frame carries at most one request's code (or a paste into a terminal) and its JSON.
  h.max_message_bytes = settings.limits.max_code_bytes + 64 * 1024;
  // The console's browser offers "baikal.v1" beside its "bearer.<token>" (api_users.hpp).
  h.subprotocol = "baikal.v1";
  return h;
}

/// Upgrades the call to a WebSocket bridged by the actor `spawn` makes, once the caller's
/// session is found RUNNING with its main kernel reachable.
void open_live(const call_ptr& call, spawn_bridge spawn) {
  auto& ctx = *call->ctx;
  auto manager = ctx.manager;
  auto limit = ctx.settings.manager_timeout;
  ctx.sys.spawn([=](caf::event_based_actor* self) {
    stop_alone_on_exception(
        self, [call] { return "the actor serving " + call->route; },
        [call](const caf::error& err) { call->fail(err); });
    self->request(manager, limit, api::main_kernel{call->user.uuid, call->param("id"), true})
        .then(
            [=](kernel_route& route) {
              if (!route.handle)
                return call->fail(
                    make_error(errc::unavailable, "the agent " + route.agent + " of session " +
                                                      call->param("id") + " is not connected"));
              // Checked after the session, so that a plain GET says what an upgrade would
              // have been refused for (a WebSocket client may not see the refusal's body).
              if (!http::is_websocket_upgrade(call->req))
                return call->fail(make_error(errc::invalid_argument,
                                             "this route is a WebSocket: send GET with "
                                             "\"Connection: Upgrade\" and \"Upgrade: "
                                             "websocket\""));
              call->ctx->counters.count(call->route, 101);
              call->responder.open_websocket(bridge_handlers(call, route, spawn));
            },
            [=](caf::error& err) { call->fail(err); });
  });
}

void stream_session(const call_ptr& call) {
  auto& sys = call->ctx->sys;
  open_live(call, [&sys](live::live_setup setup) {
    return live::spawn_run_stream(sys, std::move(setup));
  });
}

void open_terminal(const call_ptr& call) {
  auto size = live::parse_terminal_query(call->query("rows"), call->query("cols"));
  if (!size)
    return call->fail(size.error());
  auto term = call->query("term");
  if (!term.empty())
    if (auto err = checks::check_name("the query parameter term", term, 64))
      return call->fail(err);
  auto& sys = call->ctx->sys;
  open_live(call, [&sys, size = *size, term](live::live_setup setup) {
    return live::spawn_terminal_bridge(sys, std::move(setup), size, term);
  });
}

} // namespace

} // namespace baikal::handlers

namespace baikal {

const std::vector<route_entry>& live_route_entries() {
  static const std::vector<route_entry> rows{
      {"GET", "/v1/sessions/{id}/stream", handlers::stream_session, false, body_kind::none, {}},
      {"GET",
       "/v1/sessions/{id}/pty",
       handlers::open_terminal,
       false,
       body_kind::none,
       {"rows", "cols", "term"}},
  };
  return rows;
}

} // namespace baikal
