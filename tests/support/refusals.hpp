#pragma once

/// What the tests of input checks ask of a refusal: that there is one, that it has the expected
/// code, and its message, for the test to check that it names the field.

#include <doctest/doctest.h>

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/errors.hpp"

namespace baikal::test {

inline std::string refused(const caf::error& err, errc code = errc::invalid_argument) {
  REQUIRE(err);
  CHECK(code_of(err) == code);
  return message_of(err);
}

template <class T>
std::string refused(const caf::expected<T>& x, errc code = errc::invalid_argument) {
  REQUIRE(!x);
  return refused(x.error(), code);
}

} // namespace baikal::test
