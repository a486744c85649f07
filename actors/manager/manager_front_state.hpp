#pragma once

/// The manager front's state, shared by the actor (manager_front.cpp) and the steps its handlers
/// call: front_placement, front_idle, front_sessions, front_parking and front_agents, and
/// front_folders.hpp for the storage folders.

#include <chrono>
#include <memory>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/agent_mirror.hpp"
#include "actors/manager/folder_book.hpp"
#include "actors/manager/image_cache.hpp"
#include "actors/manager/manager_front.hpp"
#include "actors/manager/parking_lot.hpp"
#include "actors/manager/placement_book.hpp"
#include "actors/manager/session_context.hpp"
#include "actors/manager/session_table.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

/// A create checked and waiting for the store to hold it (front_sessions.cpp).
struct create_in_store {
  shared_spec spec;
  image_config image;
  std::vector<folder_mount> mounts; ///< pinned until the session is in the table
  guarded_promise<session_id> answer;
};

struct front_state {
  manager_settings settings;
  front_deps deps;
  std::shared_ptr<const session_context> ctx;
  session_table sessions;
  placement_book book{sched::policy::concentrated, 1};
  parking_lot parking;
  agent_mirror agents;
  bool pass_queued = false; ///< a scheduling pass is on its way through the mailbox
  /// Creates for the next insert_pass: one store write, and one answer to wait for, however
  /// many arrive at once (a multiplexed answer costs the actor a scan of all it awaits).
  std::vector<create_in_store> creates;
  image_cache images;
  manager_metrics metrics;
  folder_book folders; ///< storage folders (front_folders.hpp)
  caf::actor blocking; ///< the executor that makes and removes folders' directories
  std::shared_ptr<spdlog::logger> log = log::get("manager");
  static inline const char* name = "manager_front";
};

using front_ptr = manager_front_actor::stateful_pointer<front_state>;

namespace front_steps {

using clock = std::chrono::steady_clock;
using presence = parking_lot::presence;

} // namespace front_steps

} // namespace baikal
