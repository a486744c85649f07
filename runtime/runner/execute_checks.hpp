#pragma once

/// An execute request (op::execute, from the HTTP API or over the network from a manager)
/// checked field by field and turned into the runner's typed request. The API and the agent
/// both call it, so a value one refuses the other refuses with the same words; nothing past
/// it parses a string again.
///
/// Fields: mode one of execution_mode (a number from a peer may name none); code at most
/// max_code_bytes; run_id empty or a name of at most 128 characters; flush_timeout from 0 to 86400
/// seconds; opts holds only exec_timeout (seconds, a decimal number from 0 to max_exec_timeout_s, 0
/// for no limit), build and exec (texts of at most max_code_bytes), stream (true/false: answer
/// as soon as there is output), rows and cols (a terminal's size, 1 to 1000) and term (a
/// terminal type's name).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/kernel_interface.hpp"
#include "runtime/runner/runner_protocol.hpp"

namespace baikal::runner {

/// The largest exec_timeout accepted: 30 days.
constexpr double max_exec_timeout_s = 30.0 * 24 * 3600;

struct execute_limits {
  size_t max_code_bytes = 1024 * 1024;
};

/// The options of an execution, typed.
struct execution_opts {
  std::optional<double> exec_timeout; ///< seconds; 0 means no limit
  std::string build;
  std::string exec;
  bool stream = false;
  std::optional<int> rows, cols;
  std::string term;
};

/// A number of seconds written as a plain decimal number ("30", "2.5", "1e3"; no sign, no
/// "inf" or "nan", no spaces) from 0 to `max`; nothing otherwise.
std::optional<double> parse_seconds(std::string_view text, double max);

/// The execution mode named `text` among those a client of the HTTP API may ask for (query,
/// batch, continue, input; the terminal modes are the manager's own), or invalid_argument
/// listing them.
caf::expected<execution_mode> parse_execution_mode(const std::string& text);

/// `opts` of an execute request (field names in errors are "opts.NAME").
caf::expected<execution_opts> parse_execution_opts(const std::map<std::string, std::string>& opts,
                                                   const execute_limits& limits);

/// The runner request for `x`, or invalid_argument (too_large for sizes) naming the field.
caf::expected<execute_request> to_runner_request(const op::execute& x,
                                                 const execute_limits& limits);

} // namespace baikal::runner
