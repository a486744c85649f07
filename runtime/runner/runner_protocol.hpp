#pragma once

/// Requests to and responses from baikal-kernel-runner, as JSON text (the payload of one
/// frame). The wire is described in tools/baikal-kernel-runner/README.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/execution_types.hpp"
#include "messages/status_types.hpp"

namespace baikal::runner {

/// The fields of an execute request.
struct execute_request {
  execution_mode mode = execution_mode::query;
  std::string code;
  std::string run_id; ///< empty: the runner makes one (query/batch)
  double flush_timeout = 1.0;
  std::optional<double> exec_timeout; ///< seconds; the run is killed with status exec-timeout
  std::string build;                  ///< batch only
  std::string exec;                   ///< batch only; empty means `code`
  bool stream = false;                ///< answer as soon as the run has output (live output)
  std::optional<int> rows, cols;      ///< pty, resize: the terminal's size
  std::string term;                   ///< pty: TERM for the shell (empty: the runner's default)
};

std::string make_execute_request(uint64_t id, const execute_request& req);
std::string make_interrupt_request(uint64_t id, std::string_view run_id = {});
std::string make_complete_request(uint64_t id, std::string_view text);
std::string make_start_service_request(uint64_t id, std::string_view name,
                                       std::optional<int> port = std::nullopt);
std::string make_shutdown_service_request(uint64_t id, std::string_view name);
std::string make_simple_request(uint64_t id, std::string_view op); ///< health, list_services

/// The "id" of a response, if it is a number.
std::optional<uint64_t> response_id(std::string_view json);

/// The runner's health answer.
struct runner_health {
  int64_t pid = 0;
  double uptime = 0;
};

// Parsers: an answer {"error": ...} becomes a Baikal error (not_found, conflict,
// invalid_argument, or runtime_error) carrying the runner's message.
caf::expected<execution_result> parse_execution_result(std::string_view json);
caf::expected<completion_result> parse_completion_result(std::string_view json);
caf::expected<service_result> parse_service_result(std::string_view json);
caf::expected<runner_health> parse_health(std::string_view json);
/// For answers that only say {"status":"ok", "note"?}: returns the note (maybe empty).
caf::expected<std::string> parse_ok(std::string_view json);

} // namespace baikal::runner
