// The app proxy: `/v1/sessions/{id}/apps/{service}/...` reaches a service of the session's main
// kernel through the manager's address alone. The kernel starts the service if it does not
// run (the runner answers "running" when it does) and names the host port it is published
// on; the connection then becomes a byte tunnel to it, which carries chunked answers and
// WebSocket upgrades as they are.

#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_route_entry.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/http/proxy_request.hpp"

namespace baikal::handlers {

namespace {

/// "/v1/sessions/{id}/apps/{service}": the service's root is after these segments.
constexpr size_t app_prefix_segments = 5;

/// Where the agent publishes its kernels' ports. An agent listening on every address names
/// none: the manager then reaches it on the loopback, as in a one-machine cluster.
std::string service_host(const service_result& res) {
  auto i = res.info.find("host");
  if (i == res.info.end() || i->second.empty() || i->second == "0.0.0.0" || i->second == "::")
    return "127.0.0.1";
  return i->second;
}

/// The agent's answer is read as strictly as a request: "30001x" or "70000" is no port.
caf::expected<uint16_t> service_port(const service_result& res, const std::string& service) {
  auto i = res.info.find("host_port");
  auto port = i == res.info.end() ? std::nullopt : checks::parse_unsigned(i->second, 65535);
  if (!port || *port == 0)
    return make_error(errc::not_found, "the service " + service +
                                           " of this session's main kernel has no published "
                                           "port to proxy to");
  return static_cast<uint16_t>(*port);
}

std::string client_address(const std::string& remote) {
  auto colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

void open_app_tunnel(const call_ptr& call, const std::string& service, const service_result& res) {
  if (res.status == "failed")
    return call->fail(make_error(errc::agent_error, "the service " + service + " of session " +
                                                        call->param("id") +
                                                        " did not start: " + res.error));
  auto port = service_port(res, service);
  if (!port)
    return call->fail(port.error());
  auto host = service_host(res);
  http::proxy_hop hop;
  hop.target = http::target_after(call->req.target, app_prefix_segments);
  hop.host =
      (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + std::to_string(*port);
  hop.prefix = "/v1/sessions/" + call->param("id") + "/apps/" + service;
  hop.client_addr = client_address(call->req.remote);
  http::tunnel_request t;
  t.host = host;
  t.port = *port;
  t.first_bytes = http::proxied_request(call->req, hop);
  auto route = call->route;
  auto ctx = call->ctx;
  auto session = call->param("id");
  t.unreachable = [ctx, route, service, session](const std::string& why) {
    ctx->counters.count(route, 502);
    return error_response(502, to_string(errc::agent_error),
                          "cannot reach the service " + service + " of session " + session + ": " +
                              why);
  };
  auto opened = http::is_websocket_upgrade(call->req) ? 101 : 200;
  t.connected = [ctx, route, opened] { ctx->counters.count(route, opened); };
  call->responder.open_tunnel(std::move(t));
}

void proxy_app(const call_ptr& call) {
  auto service = call->param("service");
  if (auto err = checks::check_name("the service name", service,
                                    call->ctx->settings.limits.max_name_length))
    return call->fail(err);
  ask_main_kernel_then<service_result>(
      call, call->ctx->settings.agent_timeout,
      [service](const kernel_route& route) {
        return op::start_service{route.kernel, service, {}};
      },
      [call, service](service_result& res, const kernel_route&) {
        open_app_tunnel(call, service, res);
      },
      true);
}

} // namespace

} // namespace baikal::handlers

namespace baikal {

const std::vector<route_entry>& app_route_entries() {
  using handlers::proxy_app;
  static const std::vector<route_entry> rows{
      {"*",
       "/v1/sessions/{id}/apps/{service}/{path...}",
       proxy_app,
       false,
       body_kind::bytes,
       {"*"}},
  };
  return rows;
}

} // namespace baikal
