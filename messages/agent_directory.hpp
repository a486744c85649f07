#pragma once

/// Agent id to the handle the manager's actors talk to: what the launcher holds and what the
/// registry answers a look-up with.

#include <map>

#include "messages/agent_interface.hpp"
#include "messages/ids.hpp"

namespace baikal {

using agent_directory = std::map<agent_id, agent_actor>;

} // namespace baikal
