#pragma once

/// Identifiers. They are UUID strings on the wire, as in the reference system.

#include <string>

namespace baikal {

using kernel_id = std::string;
using session_id = std::string;
using agent_id = std::string;
using user_id = std::string;

} // namespace baikal
