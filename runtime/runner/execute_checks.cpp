#include "runtime/runner/execute_checks.hpp"

#include <cmath>

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/numbers.hpp"

namespace baikal::runner {

namespace {

// The batch route waits up to an hour for output before answering "continued".
constexpr double max_flush_timeout_s = 24 * 3600;
constexpr size_t max_run_id_length = 128;

std::string number_text(double value) {
  auto text = std::to_string(value);
  while (!text.empty() && text.back() == '0')
    text.pop_back();
  if (!text.empty() && text.back() == '.')
    text.pop_back();
  return text;
}

} // namespace

std::optional<double> parse_seconds(std::string_view text, double max) {
  auto value = checks::parse_number(text);
  if (!value || *value > max)
    return std::nullopt;
  return value;
}

caf::expected<execution_opts> parse_execution_opts(const std::map<std::string, std::string>& opts,
                                                   const execute_limits& limits) {
  execution_opts out;
  for (auto& [key, value] : opts) {
    if (key == "exec_timeout") {
      out.exec_timeout = parse_seconds(value, max_exec_timeout_s);
      if (!out.exec_timeout)
        return make_error(errc::invalid_argument,
                          "opts.exec_timeout must be a number of seconds from 0 to " +
                              number_text(max_exec_timeout_s) + " (0 for no limit), not \"" +
                              checks::shown(value) + "\"");
    } else if (key == "stream") {
      auto flag = checks::parse_flag(value);
      if (!flag)
        return make_error(errc::invalid_argument, "opts.stream must be true or false, not \"" +
                                                      checks::shown(value) + "\"");
      out.stream = *flag;
    } else if (key == "rows" || key == "cols") {
      auto n = checks::parse_unsigned(value, 1000);
      if (!n || *n == 0)
        return make_error(errc::invalid_argument, "opts." + key +
                                                      " must be a whole number from 1 to 1000, "
                                                      "not \"" +
                                                      checks::shown(value) + "\"");
      (key == "rows" ? out.rows : out.cols) = static_cast<int>(*n);
    } else if (key == "term") {
      if (auto err = checks::check_name("opts.term", value, 64))
        return err;
      out.term = value;
    } else if (key == "build" || key == "exec") {
      if (auto err = checks::check_text("opts." + key, value, limits.max_code_bytes))
        return err;
      (key == "build" ? out.build : out.exec) = value;
    } else {
      return make_error(errc::invalid_argument,
                        "opts." + checks::shown(key) +
                            " is not an execution option; the options are exec_timeout (seconds), "
                            "build and exec (batch commands) and stream (true: answer as soon as "
                            "there is output)");
    }
  }
  return out;
}

namespace {

caf::error not_a_mode(const std::string& shown) {
  return make_error(errc::invalid_argument, "mode must be \"query\", \"batch\", \"continue\" or "
                                            "\"input\", not \"" +
                                                shown + "\"");
}

} // namespace

caf::expected<execution_mode> parse_execution_mode(const std::string& text) {
  if (auto mode = execution_mode_from(text); mode && *mode <= execution_mode::input)
    return *mode;
  return not_a_mode(checks::shown(text));
}

caf::expected<execute_request> to_runner_request(const op::execute& x,
                                                 const execute_limits& limits) {
  // A peer may send any number: one that names no mode has no name either.
  if (to_string(x.mode).empty())
    return not_a_mode(std::to_string(static_cast<int>(x.mode)));
  if (auto err = checks::check_text("code", x.code, limits.max_code_bytes))
    return err;
  if (!x.run_id.empty())
    if (auto err = checks::check_name("run_id", x.run_id, max_run_id_length))
      return err;
  if (!std::isfinite(x.flush_timeout) || x.flush_timeout < 0 ||
      x.flush_timeout > max_flush_timeout_s)
    return make_error(errc::invalid_argument, "flush_timeout must be a number of seconds from 0 "
                                              "to " +
                                                  number_text(max_flush_timeout_s));
  auto opts = parse_execution_opts(x.opts, limits);
  if (!opts)
    return opts.error();
  execute_request req;
  req.mode = x.mode;
  req.code = x.code;
  req.run_id = x.run_id;
  req.flush_timeout = x.flush_timeout;
  req.exec_timeout = opts->exec_timeout;
  req.build = std::move(opts->build);
  req.exec = std::move(opts->exec);
  req.stream = opts->stream;
  req.rows = opts->rows;
  req.cols = opts->cols;
  req.term = std::move(opts->term);
  return req;
}

} // namespace baikal::runner
