#pragma once

/// What the HTTP API of the manager is configured with.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "actors/manager/http/api_users.hpp"
#include "messages/image_types.hpp"

namespace baikal {

struct api_settings {
  std::string host = "127.0.0.1";
  uint16_t port = 8090; ///< 0 picks a free port
  int threads = 2;
  std::vector<api_user> users;
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
  /// The manager's image configs by reference, for restarting a kernel.
  std::map<std::string, image_config> images;
};

} // namespace baikal
