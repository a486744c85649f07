#pragma once

/// The manager front's mirror of the agents: the last record and handle the registry sent for
/// each (it tells the front only about changes), the slot names they offer, and the quarantine
/// of those whose creations keep failing (agent_quarantine.hpp), and the agents an operator
/// drained. It decides which agents take placements and tells the slot view so.
///
/// A plain class: the front feeds it the registry's changes and the outcomes of launches, and
/// arms the quarantine tick it asks for (0.17 cannot cancel a delayed message, so one tick is
/// out at a time, for the earliest back-off end).

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/manager/agent_quarantine.hpp"
#include "actors/manager/manager_metrics.hpp"
#include "actors/manager/slot_view.hpp"
#include "messages/agent_interface.hpp"
#include "messages/manager_interface.hpp"
#include "messages/manager_internal_interface.hpp"
#include "messages/session_records.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

class agent_mirror {
public:
  using clock = std::chrono::steady_clock;

  struct known_agent {
    agent_record record;
    agent_actor handle; ///< invalid while the agent is not reachable
  };

  explicit agent_mirror(quarantine_settings settings = {}) : quarantine_(settings) {}

  /// The registry's news of an agent (counted in `metrics`, told to `slots`). Whether a pass may
  /// place sessions on it now: it takes placements, or it just came back ALIVE.
  bool update(agent_record record, agent_actor handle, sched::slot_view& slots,
              manager_metrics& metrics);

  /// The agent `id`, or null.
  const known_agent* find(const agent_id& id) const;

  /// The handle to call agent `id` with now: not_found for an unknown agent, unavailable while
  /// it is not ALIVE and connected.
  caf::expected<agent_actor> handle_of(const agent_id& id) const;

  /// The route to kernel `kernel` of session `session` on agent `agent`, to call it now:
  /// unavailable while the agent is not ALIVE and connected.
  caf::expected<kernel_route> route_to(const session_id& session, const kernel_id& kernel,
                                       const agent_id& agent) const;

  /// The registry's `records` as /v1/agents shows them: with what the sessions bound to each
  /// use of it (`slots`) and its quarantine.
  std::vector<agent_view> views(std::vector<agent_record> records, const sched::slot_view& slots,
                                clock::time_point now) const;

  /// Whether sessions may be placed on `id` now: ALIVE, reachable, not quarantined and not
  /// drained. An unhealthy agent (its Docker engine does not answer) keeps its kernels but gets
  /// no new ones.
  bool takes_placements(const agent_id& id, clock::time_point now) const;

  // -- drains: an operator's decision, kept apart from the record so that a registration or a
  // heartbeat of the agent never undoes it --

  /// Agent `id` gets no new kernels (`drained`) or takes them again; refreshes it in `slots`.
  /// Whether that changed anything.
  bool set_drained(const agent_id& id, bool drained, sched::slot_view& slots);

  bool drained(const agent_id& id) const { return drained_.count(id) > 0; }

  /// How many agents are drained (known or not yet back since a restart).
  size_t drained_count() const { return drained_.size(); }

  /// Tells `slots` what agent `id` is now (after its record or its quarantine changed).
  void refresh(const agent_id& id, sched::slot_view& slots, clock::time_point now) const;

  /// The slot names agents have reported (never forgotten: a LOST agent may come back).
  const std::set<std::string>& offered_slots() const { return offered_slots_; }

  agent_quarantine& quarantine() { return quarantine_; }
  const agent_quarantine& quarantine() const { return quarantine_; }

  // -- quarantine: each change refreshes the agent in `slots` --

  /// Agent `agent` was given a placement: if it is a quarantined agent whose back-off ended,
  /// this is its probe and it takes no more. Whether it was (the quarantine's next due time
  /// may have changed).
  bool placed(const agent_id& agent, sched::slot_view& slots, clock::time_point now);

  /// Session `spec` started its kernels: their agents' failures in a row are over. Whether an
  /// agent left its quarantine (it may take placements again).
  bool launch_succeeded(const scheduled_session& spec, sched::slot_view& slots);

  /// A launch failed on agents for reasons of their own; answers how many of them it put into
  /// quarantine.
  size_t launch_failed(const front::launch_failed& x, sched::slot_view& slots,
                       clock::time_point now);

  /// How long until the earliest quarantine back-off ends, if a tick should be sent for it:
  /// one tick is out at a time, and another only for an earlier end.
  std::optional<clock::duration> tick_needed(clock::time_point now);

  /// The tick sent for `tick_needed` arrived at `now`. Whether the back-off of a quarantined
  /// agent ended by then (it may take its probe).
  bool tick_arrived(sched::slot_view& slots, clock::time_point now);

  /// `reason` a session is not placed for, with a word on the quarantined agents if there are
  /// any: the slot view does not count them, so they may be the very agents with room.
  std::string with_quarantine_note(const std::string& reason) const;

private:
  std::map<agent_id, known_agent> agents_;
  std::set<std::string> offered_slots_{"cpu", "mem"};
  std::set<agent_id> drained_;
  agent_quarantine quarantine_;
  /// When the tick on its way fires; none when no tick is out.
  std::optional<clock::time_point> tick_at_;
  std::shared_ptr<spdlog::logger> log_ = log::get("manager");
};

/// Counts an agent's change from `before` (an empty id for a new agent) to `after` in `m`:
/// counted as they change, not recounted, as every heartbeat of every agent comes through.
void count_agent_change(manager_metrics& m, const agent_record& before, const agent_record& after);

} // namespace baikal
