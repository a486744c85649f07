#include "messages/errors.hpp"

#include <caf/sec.hpp>

namespace baikal {

std::string to_string(errc code) {
  switch (code) {
  case errc::permission_denied:
    return "permission_denied";
  case errc::not_found:
    return "not_found";
  case errc::invalid_argument:
  case errc::too_large:
    return "invalid_argument";
  case errc::runtime_error:
    return "runtime_error";
  case errc::agent_error:
    return "agent_error";
  case errc::timeout:
    return "timeout";
  case errc::conflict:
    return "conflict";
  case errc::unavailable:
    return "unavailable";
  }
  return "runtime_error";
}

caf::error make_error(errc code, std::string message) {
  return caf::error{static_cast<uint8_t>(code), error_category,
                    caf::make_message(std::move(message))};
}

caf::error make_error(errc code, std::string message, error_detail detail) {
  if (detail == error_detail::none)
    return make_error(code, std::move(message));
  return caf::error{static_cast<uint8_t>(code), error_category,
                    caf::make_message(std::move(message), static_cast<uint8_t>(detail))};
}

error_detail detail_of(const caf::error& err) {
  if (err.category() != error_category || !err.context().match_elements<std::string, uint8_t>())
    return error_detail::none;
  auto value = err.context().get_as<uint8_t>(1);
  return value == static_cast<uint8_t>(error_detail::missing_path) ? error_detail::missing_path
                                                                   : error_detail::none;
}

errc code_of(const caf::error& err) {
  if (err.category() == error_category)
    return static_cast<errc>(err.code());
  if (err.category() == caf::atom("system") &&
      err.code() == static_cast<uint8_t>(caf::sec::request_timeout))
    return errc::timeout;
  // The actor that served the request is gone (its node left, or it ended): the request may
  // work once it is back or elsewhere, so a caller may retry, and the API answers 503.
  if (err.category() == caf::atom("system") &&
      err.code() == static_cast<uint8_t>(caf::sec::request_receiver_down))
    return errc::unavailable;
  return errc::runtime_error;
}

std::string message_of(const caf::error& err) {
  if (err.category() == error_category && err.context().size() > 0 &&
      err.context().match_element<std::string>(0))
    return err.context().get_as<std::string>(0);
  if (err.category() == caf::atom("system")) {
    auto text = to_string(static_cast<caf::sec>(err.code()));
    if (code_of(err) == errc::timeout)
      return "the operation did not answer in time (" + text + ")";
    // Never only CAF's code: say what it means for the request.
    auto code = static_cast<caf::sec>(err.code());
    if (code == caf::sec::runtime_error)
      return "the actor serving this request failed before it answered (" + text +
             "); its node's log has the cause";
    if (code == caf::sec::request_receiver_down)
      return "the actor serving this request ended before it answered (" + text + ")";
    return "the request failed inside the actor system (" + text + ")";
  }
  return caf::to_string(err);
}

int http_status_of(errc code) {
  switch (code) {
  case errc::permission_denied:
    return 403;
  case errc::not_found:
    return 404;
  case errc::invalid_argument:
    return 400;
  case errc::too_large:
    return 413;
  case errc::runtime_error:
    return 500;
  case errc::agent_error:
    return 502;
  case errc::timeout:
    return 504;
  case errc::conflict:
    return 409;
  case errc::unavailable:
    return 503;
  }
  return 500;
}

} // namespace baikal
