#pragma once

/// One request of the runner protocol with its fields read once from the frame's JSON, so the
/// ops work on checked values (and tests/fuzz reads frames without a server).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace baikal::kernel_runner {

/// The longest opts.exec_timeout honoured; longer ones are cut to it (a year is "never" for a
/// run, and a deadline that far away still fits the clock's 64-bit nanoseconds).
constexpr double max_exec_timeout = 365.0 * 24 * 3600;

/// The longest flush_timeout honoured.
constexpr double max_flush_timeout = 600.0;

struct request {
  std::string id_json = "null"; ///< the request's "id" as JSON text, answered verbatim
  std::string op;
  /// execute: "query" (also when empty), "batch", "continue", "input", or for terminals
  /// "pty", "write", "resize" and "cancel"
  std::string mode;
  std::string code;                   ///< execute
  std::string run_id;                 ///< execute, interrupt
  std::string text;                   ///< complete
  std::string name;                   ///< start_service, shutdown_service
  double flush_timeout = 1.0;         ///< seconds in [0, max_flush_timeout]
  std::optional<double> exec_timeout; ///< opts.exec_timeout, at most max_exec_timeout
  std::string build;                  ///< opts.build (batch)
  std::string exec;                   ///< opts.exec (batch)
  std::optional<int> port;            ///< opts.port (start_service)
  bool bad_port = false;              ///< opts.port is there but not a whole number from 1 to 65535
  /// execute: answer as soon as the run has new output, instead of at the flush timeout.
  bool stream = false;
  std::optional<int> rows, cols; ///< opts.rows, opts.cols (pty, resize)
  bool bad_size = false;         ///< rows or cols there but not a whole number from 1 to 1000
  std::string term;              ///< opts.term (pty): the TERM the shell gets
};

/// The largest terminal side accepted, in rows or columns.
constexpr int max_terminal_side = 1000;

/// Reads a frame's payload; nothing when it is not a JSON object. Fields of the wrong type
/// count as absent.
std::optional<request> parse_request(std::string_view payload);

/// `now` plus `seconds`: the deadlines of flush_timeout and exec_timeout.
std::chrono::steady_clock::time_point after_seconds(std::chrono::steady_clock::time_point now,
                                                    double seconds);

} // namespace baikal::kernel_runner
