#pragma once

#include "messages/inspect.hpp"

namespace baikal {

/// The answer of an operation that returns nothing but success.
struct ack {};
BAIKAL_INSPECT("", ack)

} // namespace baikal
