#pragma once

/// The manager's front: what `manager_actor` answers, and the owner of scheduling.
///
///  - create_session: validates the request, resolves the image, builds the kernels, stores the
///    session PENDING, spawns its session actor, and runs a scheduling pass; answers the id.
///  - get/list/terminate/main_kernel: a session of another user answers not_found, like an
///    unknown one; main_kernel answers only for RUNNING sessions.
///  - scheduling: PENDING sessions in arrival order are placed on ALIVE agents with free slots
///    through a slot view (slot_view.hpp) kept up to date on every placement, release and agent
///    change; a placed session gets `sess::bound`, the others `sess::still_pending` when their
///    reason changes. A pass is queued when a session arrives, an agent becomes ALIVE, or a
///    session ends and frees its slots; one pass places every session that arrived meanwhile.
///    At most `manager_settings::max_starting` sessions are between binding and RUNNING at
///    once; the rest wait PENDING in order, so a burst flows through instead of flooding.
///    The queue and the slots held are the placement book's (placement_book.hpp); which agents
///    take placements, their quarantine included, the agent mirror's (agent_mirror.hpp).
///  - an ended session keeps only its owner and status in memory (session_table.hpp); the
///    store has the rest.
///  - a parked session (idle RUNNING, see session.hpp) has no actor: what comes for it (a
///    termination, the kernel events the hub has no route for) spawns it again, RUNNING; what
///    comes while its actor is still deciding to park is held and handed over after
///    (parking_lot.hpp).
///  - idle reaping: a RUNNING session with an idle_timeout is terminated with reason idle-timeout
///    once the API's kernel calls that are activity stop for that long (idle_clock.hpp).
///  - the registry tells it about agents (front::agent_changed), session actors about their
///    status (front::session_changed); the registry asks it which kernels an agent should run.
///  - set_agent_drain: an admin drains an agent (no new kernels, running ones stay) or undrains
///    it; stored first, then applied (agent_mirror.hpp), and a pass queued.
///  - get_metrics: sessions and agents by status, launch latency, pulls (Prometheus text).
///  - check_ready: answered at once (GET /v1/ready); that the front answers is the readiness.
/// The store, hub, launcher and registry are linked to it: they end with it. The session actors
/// are monitored (see spawn_session) and stopped when it stops.

#include <memory>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/manager/manager.hpp"
#include "actors/manager/manager_metrics.hpp"
#include "actors/manager/store_actor.hpp"
#include "messages/manager_internal_interface.hpp"
#include "runtime/paths/storage_folders.hpp"

namespace baikal {

struct front_deps {
  store_actor store;
  launcher_actor launcher;
  event_hub_actor hub;
  registry_actor registry;
  std::shared_ptr<event_counters> counters;
  /// Every session the store holds (a restart): the live ones get their session actors back.
  std::vector<session_record> recovered;
  /// The agents an operator drained (a restart): they stay drained when they join again.
  std::vector<agent_id> drained;
  /// The folders under the storage root when the manager started (storage_folders.hpp).
  std::vector<stored_folder> folders;
};

manager_front_actor spawn_manager_front(caf::actor_system& sys, manager_settings settings,
                                        front_deps deps);

} // namespace baikal
