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

errc code_of(const caf::error& err) {
  if (err.category() == error_category)
    return static_cast<errc>(err.code());
  if (err.category() == caf::atom("system") &&
      err.code() == static_cast<uint8_t>(caf::sec::request_timeout))
    return errc::timeout;
  return errc::runtime_error;
}

std::string message_of(const caf::error& err) {
  if (err.category() == error_category && err.context().match_elements<std::string>())
    return err.context().get_as<std::string>(0);
  if (err.category() == caf::atom("system")) {
    auto text = to_string(static_cast<caf::sec>(err.code()));
    if (code_of(err) == errc::timeout)
      return "the operation did not answer in time (" + text + ")";
    return text;
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
