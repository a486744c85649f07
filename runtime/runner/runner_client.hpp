#pragma once

/// A small blocking client of baikal-kernel-runner, for the agent's non-actor I/O thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/execution_types.hpp"
#include "runtime/paths/unique_fd.hpp"
#include "runtime/runner/frame_codec.hpp"
#include "runtime/runner/runner_protocol.hpp"

namespace baikal::runner {

/// One connection to one kernel's runner socket; one request at a time.
///
/// Connects lazily and reconnects on the next call after any failure: after a timeout the old
/// connection may still deliver the late answer, so it is dropped rather than reused. A
/// connection the runner closed while the client was idle is noticed before the next request.
/// Errors: unavailable (cannot connect / connection lost), timeout, or the runner's own error.
class runner_client {
public:
  using duration = std::chrono::milliseconds;

  explicit runner_client(std::string socket_path, duration extra_wait = duration(5000))
      : path_(std::move(socket_path)), extra_wait_(extra_wait) {}

  /// Sends one request payload (made with next_id()) and returns the answer with that id.
  caf::expected<std::string> call(std::string_view request, uint64_t id, duration timeout);

  /// Waits flush_timeout (+ extra_wait) at most.
  caf::expected<execution_result> execute(const execute_request& req);
  caf::expected<std::string> interrupt(std::string_view run_id = {});
  caf::expected<completion_result> complete(std::string_view text);
  caf::expected<service_result> start_service(std::string_view name,
                                              std::optional<int> port = std::nullopt);
  /// Returns the runner's note ("... already stopped") or an empty string.
  caf::expected<std::string> shutdown_service(std::string_view name);
  caf::expected<runner_health> health();

  uint64_t next_id() { return ++last_id_; }
  const std::string& socket_path() const { return path_; }
  /// Holds a connection that the last call left open (runner_pool keeps such clients).
  bool connected() const { return static_cast<bool>(fd_); }

private:
  caf::error connect();
  /// A kept connection whose runner has gone (restarted, or its kernel stopped) is closed
  /// before a request is sent on it, so that the call reaches the runner listening now.
  void drop_if_closed();

  std::string path_;
  duration extra_wait_;
  unique_fd fd_;
  frame_decoder decoder_;
  uint64_t last_id_ = 0;
};

} // namespace baikal::runner
