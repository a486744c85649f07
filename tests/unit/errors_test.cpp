#include <doctest/doctest.h>

#include <caf/sec.hpp>

#include "messages/errors.hpp"

using namespace baikal;

TEST_CASE("errors: a Baikal error keeps its code and message") {
  auto err = make_error(errc::permission_denied, "You cannot download files outside /home/work");
  CHECK(code_of(err) == errc::permission_denied);
  CHECK(message_of(err) == "You cannot download files outside /home/work");
  CHECK(to_string(code_of(err)) == "permission_denied");
  CHECK(http_status_of(code_of(err)) == 403);
}

TEST_CASE("errors: codes map to the contract's HTTP statuses") {
  CHECK(http_status_of(errc::not_found) == 404);
  CHECK(http_status_of(errc::invalid_argument) == 400);
  CHECK(http_status_of(errc::too_large) == 413);
  CHECK(to_string(errc::too_large) == "invalid_argument");
  CHECK(http_status_of(errc::runtime_error) == 500);
  CHECK(http_status_of(errc::agent_error) == 502);
  CHECK(http_status_of(errc::timeout) == 504);
  CHECK(http_status_of(errc::conflict) == 409);
}

TEST_CASE("errors: a CAF request timeout is a timeout") {
  caf::error err = caf::make_error(caf::sec::request_timeout);
  CHECK(code_of(err) == errc::timeout);
  CHECK(message_of(err).find("did not answer in time") != std::string::npos);
}

TEST_CASE("errors: a detail travels with the error and leaves code and message as they were") {
  auto err = make_error(errc::runtime_error, "No such file or directory: /home/work/x",
                        error_detail::missing_path);
  CHECK(code_of(err) == errc::runtime_error);
  CHECK(message_of(err) == "No such file or directory: /home/work/x");
  CHECK(detail_of(err) == error_detail::missing_path);
  CHECK(detail_of(make_error(errc::runtime_error, "x")) == error_detail::none);
  CHECK(detail_of(caf::make_error(caf::sec::runtime_error)) == error_detail::none);
  // No detail is the plain error.
  CHECK(make_error(errc::not_found, "x", error_detail::none) == make_error(errc::not_found, "x"));
}

TEST_CASE("errors: a CAF failure says what it means, never only its code") {
  auto failed = message_of(caf::make_error(caf::sec::runtime_error));
  CHECK(failed != "runtime_error");
  CHECK(failed.find("failed before it answered") != std::string::npos);
  auto gone = message_of(caf::make_error(caf::sec::request_receiver_down));
  CHECK(gone.find("ended before it answered") != std::string::npos);
}

TEST_CASE(
    "errors: a request whose serving actor ended is unavailable (503), not an internal error") {
  auto gone = caf::make_error(caf::sec::request_receiver_down);
  CHECK(code_of(gone) == errc::unavailable);
  CHECK(http_status_of(code_of(gone)) == 503);
  CHECK(code_of(caf::make_error(caf::sec::runtime_error)) == errc::runtime_error);
  CHECK(http_status_of(code_of(caf::make_error(caf::sec::runtime_error))) == 500);
}
