#pragma once

/// The messages of the live routes, read from and written to WebSocket frames.
///
/// /v1/sessions/{id}/stream: the client sends text frames, a run `{"mode": "query"|"batch",
/// "code", "opts"?}` (the execute route's body) or a line of input `{"input": TEXT}`; the
/// server answers `{"type":"started","run_id"}`, then `{"type":"stdout"|"stderr","data"}` as the
/// code prints, `{"type":"waiting-input"}` when it reads its stdin, and at the end
/// `{"type":"finished","status":"finished"|"exec-timeout","exit_code"}`. A request it cannot
/// follow answers `{"type":"error","error","message"}` (the API's error codes).
///
/// /v1/sessions/{id}/pty: binary frames carry the terminal's bytes both ways; the client's text
/// frame `{"type":"resize","rows","cols"}` resizes it; the server's last text frame is
/// `{"type":"exit","exit_code"}`.

#include <string>
#include <variant>

#include <caf/expected.hpp>

#include "actors/manager/http/api_limits.hpp"
#include "messages/execution_types.hpp"
#include "messages/kernel_interface.hpp"

namespace baikal::live {

/// A run to start (mode query or batch).
struct run_frame {
  op::execute run;
};

/// A line for the run's stdin (the runner adds the newline).
struct input_frame {
  std::string text;
};

using stream_frame = std::variant<run_frame, input_frame>;

/// A /stream client's text frame, or invalid_argument naming the field.
caf::expected<stream_frame> parse_stream_frame(const std::string& text, const api_limits& limits);

/// A terminal's size.
struct terminal_size {
  int rows = 24;
  int cols = 80;
};

/// A /pty client's text frame (a resize), or invalid_argument naming the field.
caf::expected<terminal_size> parse_terminal_frame(const std::string& text);

/// The `rows` and `cols` query parameters of /pty (each optional, 1 to 1000).
caf::expected<terminal_size> parse_terminal_query(const std::string& rows, const std::string& cols);

std::string started_frame(const std::string& run_id);
std::string output_frame(const console_item& item);
std::string waiting_input_frame();
/// The end of a run: its status and exit code.
std::string finished_frame(const execution_result& res);
std::string error_frame(const caf::error& err);
std::string exit_frame(int exit_code);

} // namespace baikal::live
