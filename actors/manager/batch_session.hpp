#pragma once

/// Batch sessions as plain functions: what a request may say about them, and how the end of
/// the startup command ends the session.

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/events.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

/// The longest batch_timeout accepted (the kernel runner's longest run limit): 30 days.
constexpr double max_batch_timeout_s = 30.0 * 24 * 3600;

/// The session type named `text` ("interactive" or "batch"), else invalid_argument naming
/// the field.
caf::expected<session_type> session_type_of(const std::string& text);

/// What is wrong with the batch fields of `req`, naming the field: a batch session needs a
/// startup_command (not empty, at most `max_command_bytes`), an interactive one takes neither
/// it nor batch_timeout, and batch_timeout is a number of seconds above 0.
caf::error check_batch_fields(const session_request& req, bool timeout_given,
                              size_t max_command_bytes);

/// How the session ends for the result `e` of its startup command: TERMINATED (`error` false)
/// when the command exited, ERROR with reason "batch-timeout: ..." when it ran past
/// `batch_timeout_s`, ERROR with the failure otherwise.
struct batch_end {
  bool error = false;
  std::string reason;
};
batch_end decide_batch_end(const batch_result_event& e, double batch_timeout_s);

/// The output an agent reported, cut to its last max_batch_output_bytes: the agent bounds it
/// already, but what arrives from a node is not trusted to have been.
std::string bounded_batch_output(const std::string& output);

/// Seconds as a person writes them: "30", "2.5".
std::string seconds_text(double seconds);

} // namespace baikal
