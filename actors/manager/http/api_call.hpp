#pragma once

/// One API request on its way through the manager: who asks, which route matched with which
/// parameters, and how to answer (counted for /metrics). Shared by the short-lived actors that
/// serve the request.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

#include "actors/manager/http/api_metrics.hpp"
#include "actors/manager/http/api_settings.hpp"
#include "actors/manager/http/api_users.hpp"
#include "actors/manager/http/stream_quota.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/http/router.hpp"
#include "runtime/http/server.hpp"

namespace baikal {

/// What a route reads besides its path: checked before its handler runs.
struct request_shape {
  bool no_body = true;
  bool streamed_body = false;     ///< the handler reads the body as it arrives
  std::vector<std::string> query; ///< the query parameters it reads
};

/// What every request of one API instance shares.
struct api_context {
  api_context(caf::actor_system& s, manager_actor m, api_settings st)
      : sys(s), manager(std::move(m)), settings(std::move(st)),
        streams(settings.limits.max_event_streams_per_user) {}

  caf::actor_system& sys;
  manager_actor manager;
  api_settings settings;
  api_request_counters counters;
  /// Event streams open per user (api.max-event-streams-per-user).
  stream_quota streams;
  http::router routes;
  /// Handlers by route label; labels in `public_routes` need no token.
  std::map<std::string, std::function<void(const std::shared_ptr<const struct api_call>&)>>
      handlers;
  std::vector<std::string> public_routes;
  std::map<std::string, request_shape> shapes; ///< by route label
  /// Set when the API begins to stop: GET /v1/ready answers 503 from then on.
  std::atomic<bool> stopping{false};
};

struct api_call {
  std::shared_ptr<api_context> ctx;
  http::http_request req;
  std::map<std::string, std::string> params;
  api_user user;
  std::string route; ///< the route's label, "unmatched" when none
  http::responder responder;

  /// Answers the request (once) and counts it.
  void reply(http::http_response res) const;
  /// Answers the error JSON for `err` with its status.
  void fail(const caf::error& err) const;
  /// Answers 200 with a JSON body.
  void ok(std::string json) const;
  std::string param(const std::string& name) const;
  /// A query parameter; empty when absent.
  std::string query(const std::string& name) const;
};

using call_ptr = std::shared_ptr<const api_call>;

/// The error JSON and status for `err`.
http::http_response error_response(const caf::error& err);
/// The error JSON with an explicit status and code (for 401 and 405, which have no errc).
http::http_response error_response(int status, const std::string& code, const std::string& message);

} // namespace baikal
