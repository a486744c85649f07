#pragma once

/// The scheduler's view of a fleet kept between placements: each agent's capacity and use, and
/// per scaling group the ALIVE agents ordered by the policy's preference. A placement, a release
/// or an agent change updates one agent instead of rebuilding the view, so placing a session
/// costs about the agents it has to skip, not the whole fleet.
///
/// `place` answers exactly what `sched::place` (scheduler.hpp) answers for the same agents:
/// the same free-share preference, ties to the smaller id, single-node clusters on one agent,
/// multi-node ones kernel by kernel, and the same reasons when nothing fits.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "actors/manager/scheduler.hpp"

namespace baikal::sched {

class slot_view {
public:
  explicit slot_view(policy p) : policy_(p) {}

  /// An agent joined or changed: `alive` is whether sessions may be placed on it now as far as
  /// the agent goes; `drained`, that an operator keeps new kernels off it all the same (it is
  /// passed over, and counted in the reasons of what does not fit).
  void set_agent(const agent_id& id, std::string addr, std::string scaling_group, bool alive,
                 resource_slots capacity, bool drained = false);

  /// Adds (sign 1) or removes (sign -1) `slots` from what `agent` runs (known or not yet).
  void add_use(const agent_id& agent, const resource_slots& slots, double sign);

  /// Where `d` goes now; changes nothing. Agents in `avoid` are passed over (a session placed
  /// again after they failed it): with them left out nothing may fit where something would.
  placement place(const demand& d, const std::vector<agent_id>& avoid = {});

  /// Why `d` could never be placed, even on idle agents (`sched::never_fits` over every agent of
  /// its group); empty when it could.
  std::string never_fits(const demand& d) const;

  /// Writes `p` into `session` as `sched::bind_kernels` does.
  void bind(scheduled_session& session, const placement& p) const;

  /// What `agent` runs (empty for an unknown agent).
  const resource_slots& used(const agent_id& agent) const;

private:
  struct agent_entry {
    std::string addr;
    std::string scaling_group;
    bool alive = false;
    bool drained = false;
    resource_slots capacity;
    resource_slots used;
    double key = 0; ///< the position in its group's order (valid while ordered)
    bool ordered = false;
  };
  using order = std::set<std::pair<double, agent_id>>;

  /// Takes the agent out of its group's order.
  void unorder(const agent_id& id, agent_entry& a);
  /// Puts the agent back into its group's order if it is ALIVE and not drained, with its
  /// current free share.
  void reorder(const agent_id& id, agent_entry& a);
  /// How many ALIVE agents of `group` are drained.
  size_t drained_in(const std::string& group) const;
  /// The first agent of `group` in preference order with room for `need` and not in `avoid`,
  /// or nullptr.
  const agent_id* pick(const order& group, const resource_slots& need,
                       const std::vector<agent_id>& avoid) const;
  /// The agent of `group` closest to fitting `d`, described for a reason.
  std::string most_free(const demand& d, const order& group,
                        const std::vector<agent_id>& avoid) const;

  policy policy_;
  std::map<agent_id, agent_entry> agents_;
  std::map<std::string, order> groups_;   ///< scaling group -> ALIVE agents, preferred first
  std::map<std::string, size_t> drained_; ///< scaling group -> ALIVE agents drained
};

} // namespace baikal::sched
