#include "actors/manager/batch_session.hpp"

#include <cmath>
#include <cstdio>

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"

namespace baikal {

caf::expected<session_type> session_type_of(const std::string& text) {
  if (text == "interactive")
    return session_type::interactive;
  if (text == "batch")
    return session_type::batch;
  return make_error(errc::invalid_argument, "type must be \"interactive\" or \"batch\", not \"" +
                                                checks::shown(text) + "\"");
}

caf::error check_batch_fields(const session_request& req, bool timeout_given,
                              size_t max_command_bytes) {
  auto invalid = [](std::string text) { return make_error(errc::invalid_argument, text); };
  if (req.type != session_type::batch) {
    if (!req.startup_command.empty())
      return invalid("startup_command is only for a session of type \"batch\"");
    if (timeout_given || req.batch_timeout != 0)
      return invalid("batch_timeout is only for a session of type \"batch\"");
    return {};
  }
  if (req.startup_command.empty())
    return invalid("startup_command must not be empty: a batch session runs it once RUNNING");
  if (auto err = checks::check_text("startup_command", req.startup_command, max_command_bytes))
    return err;
  if ((timeout_given || req.batch_timeout != 0) &&
      !(std::isfinite(req.batch_timeout) && req.batch_timeout > 0 &&
        req.batch_timeout <= max_batch_timeout_s))
    return invalid("batch_timeout must be a number of seconds above 0 and at most " +
                   seconds_text(max_batch_timeout_s));
  return {};
}

batch_end decide_batch_end(const batch_result_event& e, double batch_timeout_s) {
  switch (e.outcome) {
  case batch_outcome::finished:
    return {false,
            "batch command exited with code " + std::to_string(e.exit_code ? *e.exit_code : -1)};
  case batch_outcome::timeout:
    return {true, "batch-timeout: the startup command ran longer than " +
                      seconds_text(batch_timeout_s) + " s"};
  case batch_outcome::failed:
    break;
  }
  return {true, "batch command failed: " +
                    (e.header.reason.empty() ? std::string{"no reason given"} : e.header.reason)};
}

std::string bounded_batch_output(const std::string& output) {
  if (output.size() <= max_batch_output_bytes)
    return output;
  return output.substr(output.size() - max_batch_output_bytes);
}

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", seconds);
  return buf;
}

} // namespace baikal
