#pragma once

/// The manager front's book of placements: the PENDING sessions in arrival order, the slots
/// that bound sessions hold on their agents (a slot view, see slot_view.hpp), the sessions
/// between binding and RUNNING, and the passes that place the waiting sessions in order.
///
///  - A pass takes sessions from the front of the queue until `max_starting` sessions are
///    starting: the sessions behind are not looked at, so a long queue costs nothing per pass
///    while the bound holds, and a burst flows through instead of flooding the agents.
///  - A session placed again after its agents failed it goes to the front of the queue and is
///    kept away from those agents (and any other suspect) if another agent has room.
///  - A session that is not placed is told its reason only when the reason changes.
/// A plain class: what a pass needs of the session table and the agents comes as hooks.

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/manager/session_table.hpp"
#include "actors/manager/slot_view.hpp"
#include "messages/agent_interface.hpp"

namespace baikal {

class placement_book {
public:
  /// What a pass asks of its owner.
  struct pass_hooks {
    /// The session `id` if it still waits to be placed, else null (it ended meanwhile).
    std::function<session_entry*(const session_id& id)> waiting;
    /// Agents a session placed again avoids besides those that failed it: those with an
    /// agent-side failure since their last success (before its quarantine begins, a failing
    /// agent is the emptiest of all, and a session placed again would go from one such agent
    /// to the next).
    std::function<std::vector<agent_id>()> suspects;
    /// The reason a session is told when nothing fits, from the slot view's.
    std::function<std::string(const std::string& reason)> explain;
    /// `e` is bound to the agents of `p` (its new spec is set and its slots held).
    std::function<void(session_entry& e, const sched::placement& p)> bound;
    /// `e` stays PENDING for a reason it was not told yet.
    std::function<void(session_entry& e, const std::string& reason)> still_pending;
  };

  placement_book(sched::policy p, size_t max_starting)
      : slots_(p), max_starting_(max_starting < 1 ? 1 : max_starting) {}

  sched::slot_view& slots() { return slots_; }
  const sched::slot_view& slots() const { return slots_; }

  /// A live session the front took on (new, or recovered after a restart): a PENDING one
  /// waits behind the others, a bound one holds its slots.
  void add(const session_id& id, session_entry& e);

  bool has_pending() const { return !pending_.empty(); }

  /// Why `spec` could never be placed, even with every agent of its group idle; empty when it
  /// could (or when its group has no agent yet).
  std::string never_fits(const scheduled_session& spec) const;

  /// Sessions between binding and RUNNING.
  size_t starting() const { return starting_; }

  /// `e` moved to the status it has now: RUNNING or ended, it no longer counts as starting;
  /// ended, it frees its slots. Whether a pass may place a waiting session because of it.
  bool moved(session_entry& e);

  /// The start of PENDING session `id` failed on the agents in `avoid`: it gives back what it
  /// held and goes first in the queue.
  void place_again(const session_id& id, session_entry& e, std::vector<agent_id> avoid);

  /// Places the waiting sessions in arrival order; each placement updates the slot view.
  void pass(const pass_hooks& hooks);

  /// The kernels of the sessions bound to `agent` that may run there now (may_run_kernels).
  std::vector<kernel_session> kernels_on(const agent_id& agent) const;

private:
  /// `e`'s kernels count against their agents.
  void hold(session_entry& e);
  /// `e`'s kernels no longer count against their agents, if they did.
  void release(session_entry& e);
  /// `e` is RUNNING or ended: whether it was starting (so another session may start now).
  bool started(session_entry& e);

  sched::slot_view slots_;
  size_t max_starting_;
  size_t starting_ = 0;
  /// PENDING sessions in arrival order. An id whose session ended meanwhile stays until a pass
  /// reaches it and skips it: removing it when the session ends would cost O(pending) each time.
  std::deque<session_id> pending_;
  /// Sessions placed again and the agents that failed them, until bound.
  std::unordered_map<session_id, std::vector<agent_id>> avoid_;
  /// The sessions holding slots on each agent: what kernels_on looks at, rather than every
  /// session (an agent that comes back during a large burst would otherwise scan them all).
  /// Entries, not ids: the entries never move (nor go) and a pointer is a sixth of an id's size.
  std::unordered_map<agent_id, std::unordered_set<const session_entry*>> sessions_on_agent_;
};

/// Whether a session in `status` may have kernels on its agents: from PREPARED on (the step
/// before create_kernels) until it ends. Earlier ones have none yet, and listing them would
/// only make the agent report them as already terminated.
bool may_run_kernels(session_status status);

} // namespace baikal
