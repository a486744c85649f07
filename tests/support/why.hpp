#pragma once

/// The text for a check's message about an operation's outcome. doctest evaluates a
/// *_MESSAGE's message also when the check passes (with -s it prints it), so the message must
/// not read the error of a result that holds a value.

#include <string>

#include "messages/errors.hpp"

namespace baikal::test {

/// The error's text when `result` (a caf::expected) holds an error, "" when it holds a value.
template <class Expected> std::string why(const Expected& result) {
  return result ? std::string{} : message_of(result.error());
}

} // namespace baikal::test
