#pragma once

/// What the HTTP API of the manager is configured with.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/manager/http/api_limits.hpp"
#include "actors/manager/http/api_users.hpp"
#include "actors/manager/http/image_catalogue.hpp"
#include "actors/manager/http/standby_view.hpp"
#include "messages/image_types.hpp"
#include "runtime/http/server_tls.hpp"

namespace baikal {

struct api_settings {
  std::string host = "127.0.0.1";
  uint16_t port = 8090; ///< 0 picks a free port
  int threads = 2;
  std::vector<api_user> users;
  /// [[images]] in the file's order, for `GET /v1/images`.
  std::vector<catalogue_image> images;
  /// JSON bodies; larger ones answer 413.
  uint64_t max_json_bytes = 1024 * 1024;
  /// `PUT /v1/sessions/{id}/files` bodies.
  uint64_t max_upload_bytes = 64ull * 1024 * 1024;
  /// Calls to the manager (sessions, agents, metrics).
  std::chrono::milliseconds manager_timeout{30 * 1000};
  /// Kernel operations on an agent (execute, files, logs, services, interrupt, complete).
  std::chrono::milliseconds agent_timeout{120 * 1000};
  /// Long agent operations (restart, commit, purge).
  std::chrono::milliseconds long_timeout{600 * 1000};
  /// How long a graceful stop waits for requests in flight.
  std::chrono::seconds stop_grace{60};
  /// How long a keep-alive connection may sit idle between requests.
  std::chrono::seconds idle_timeout{60};
  /// How long a request's head may take to arrive (a slower client is answered 408 and cut).
  std::chrono::seconds header_timeout{10};
  /// A larger request head answers 431; a longer request target 414.
  uint64_t max_header_bytes = 16 * 1024;
  uint64_t max_target_bytes = 8 * 1024;
  /// Connections one client address may hold open; one more answers 429.
  uint64_t max_connections_per_address = 64;
  /// What one request may ask for.
  api_limits limits;
  /// [api.tls]: when set, the API is served over HTTPS only.
  http::server_tls tls;
  /// Set while the manager stands by (another leads the store): the API answers reads from
  /// the database and sends everything else to the leader (standby_view.hpp).
  std::shared_ptr<standby_view> standby;
};

} // namespace baikal
