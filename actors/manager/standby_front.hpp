#pragma once

/// What the HTTP API asks while the manager stands by (another manager leads the shared
/// store): the session reads, answered from the database through a store connection of its
/// own, as the leader answers them. The API sends every other request to the leader
/// (standby_view.hpp); were one to arrive here, it is refused naming why.

#include <chrono>

#include <caf/actor_system.hpp>

#include "messages/manager_interface.hpp"
#include "messages/store_interface.hpp"

namespace baikal {

/// `store` may be null (the database could not be reached when the standby began): the reads
/// are then refused as unavailable.
manager_actor spawn_standby_front(caf::actor_system& sys, store_actor store,
                                  std::chrono::milliseconds store_timeout);

} // namespace baikal
