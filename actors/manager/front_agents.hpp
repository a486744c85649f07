#pragma once

/// The manager front's agents: what the registry tells of them, the list the API shows, and
/// an admin's drain.

#include "actors/manager/manager_front_state.hpp"

namespace baikal::front_steps {

void agent_changed(front_ptr self, front::agent_changed& x);

/// The registry has the agents' last heartbeats (it tells the front only about changes); the
/// front adds what its sessions use of each.
caf::result<std::vector<agent_view>> list_agents(front_ptr self);

caf::result<ack> set_agent_drain(front_ptr self, const api::set_agent_drain& x);

} // namespace baikal::front_steps
