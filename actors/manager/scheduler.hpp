#pragma once

/// The scheduler's decision as a plain function: which ALIVE agent of a session's scaling group
/// runs each of its kernels, given what every agent has and what it already runs.
///  - concentrated: the agent with the least free capacity that still fits (fill one first);
///  - dispersed: the agent with the most free capacity (spread kernels out);
///  - single-node clusters put every kernel on one agent, multi-node ones place kernel by kernel.
/// When nothing fits the answer says why, and the session stays PENDING.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "messages/session_types.hpp"

namespace baikal::sched {

enum class policy { concentrated, dispersed };

/// "concentrated" or "dispersed"; anything else is invalid_argument naming both.
caf::expected<policy> policy_from(const std::string& name);

/// An agent as the scheduler sees it.
struct agent_slots {
  agent_id id;
  std::string addr;
  std::string scaling_group;
  bool alive = false;
  resource_slots capacity;
  resource_slots used;
  /// An operator took it out of scheduling: ALIVE, it keeps its kernels and gets no new ones.
  bool drained = false;
};

/// What a session asks for: `per_kernel` slots for each of `cluster_size` kernels.
struct demand {
  std::string scaling_group;
  cluster_mode mode = cluster_mode::single_node;
  uint32_t cluster_size = 1;
  resource_slots per_kernel;
};

/// One agent per kernel in kernel order, or (empty) the reason nothing fits.
struct placement {
  std::vector<agent_id> agents;
  std::string reason;
  bool placed() const { return !agents.empty(); }
};

placement place(const demand& d, const std::vector<agent_slots>& agents, policy p);

/// Capacity minus use, slot by slot.
resource_slots free_slots(const agent_slots& agent);

/// Free capacity as a share of capacity, averaged over the slots with a capacity: 1 for an idle
/// agent. The policies rank agents by it.
double free_share(const resource_slots& capacity, const resource_slots& used);

/// Whether capacity minus use covers `need`: `fits(free_slots(...), need)` without the copy.
bool fits_free(const resource_slots& capacity, const resource_slots& used,
               const resource_slots& need);

/// Why `d` fits on none of `candidates` ALIVE agents of its group; `most_free` names the agent
/// closest to fitting ("cpu=2 mem=1073741824 free on a1", from `describe_most_free`), and
/// `drained` more ALIVE agents were passed over.
std::string no_room(const demand& d, size_t candidates, const std::string& most_free,
                    size_t drained = 0);

/// "cpu=2 free on a1": what the agent has free of the slots `d` asks for.
std::string describe_most_free(const demand& d, const agent_id& id, const resource_slots& capacity,
                               const resource_slots& used);

/// Whether the agent at (share, id) is more free than the best so far: the larger free share,
/// ties to the smaller id (so both placement paths name the same agent).
bool more_free(double share, const agent_id& id, double best_share, const agent_id* best);

/// How many kernels of `per_kernel` an idle agent of `capacity` holds (a large number when the
/// kernel asks for nothing).
uint32_t kernels_fitting(const resource_slots& capacity, const resource_slots& per_kernel);

/// Why no agent of `d`'s group could ever hold it, even idle, given each agent's capacity (ALIVE
/// or not: a lost agent may come back); empty when one could, or when the group has no agent at
/// all yet (one may join). The session is refused at creation with this reason.
std::string never_fits(const demand& d,
                       const std::vector<std::pair<agent_id, const resource_slots*>>& capacities);

/// Why `d` has no agent at all: none is ALIVE, or the `drained` ALIVE ones take no new kernels.
std::string no_alive_agent(const demand& d, size_t drained = 0);

/// Whether `available` covers `need` in every slot `need` names.
bool fits(const resource_slots& available, const resource_slots& need);

/// `x` with every slot multiplied by `n`.
resource_slots times(const resource_slots& x, double n);

/// Adds (sign 1) or removes (sign -1) `slots` from `into`.
void accumulate(resource_slots& into, const resource_slots& slots, double sign = 1);

/// "cpu=1 mem=268435456": slots as a person reads them.
std::string describe(const resource_slots& slots);

/// Writes `p` into `session`: each kernel's agent, address and local rank on its agent.
void bind_kernels(scheduled_session& session, const placement& p,
                  const std::vector<agent_slots>& agents);

} // namespace baikal::sched
