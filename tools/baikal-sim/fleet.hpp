#pragma once

/// The simulated fleet as a plan both sides of a multi-process run compute alike: agent ids,
/// which agents carry which fault (seeded, so a child process and the parent agree on it
/// without being told), each agent's slots and its latency seed, and which agents a child
/// process hosts.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <unordered_set>
#include <vector>

#include "tools/baikal-sim/sim_agent.hpp"
#include "tools/baikal-sim/sim_options.hpp"

namespace baikal::sim {

/// How often the simulated agents beat (and how often the manager expects them to).
constexpr std::chrono::milliseconds heartbeat_interval{1000};

/// The fault of every agent, by index: the shares of the options spread over the fleet at
/// random with a fixed seed, so a placement policy that fills agents in order does not hit all
/// or none of them.
std::vector<agent_fault> assign_faults(const sim_options& o);

/// Faults by agent id, as the end-of-run checks want them.
std::map<agent_id, agent_fault> faults_by_id(const std::vector<agent_fault>& faults);

/// The ids of the agents whose create_kernels fails.
std::unordered_set<agent_id> failing_agents(const std::vector<agent_fault>& faults);

/// Agents by fault name ("fails-create": 2, ...): what was injected, for the report.
std::map<std::string, size_t> fault_counts(const std::vector<agent_fault>& faults);

/// The id of agent `i`.
agent_id sim_agent_id(size_t i);

/// Room for twice the fleet's fair share of kernels, so placement never runs out of slots even
/// when some agents are lost.
resource_slots agent_capacity(const sim_options& o);

/// The configuration of agent `i` (latencies of the options, seed i + 1); its sink is set once
/// it registered.
std::shared_ptr<sim_agent_config> agent_config_for(const sim_options& o, size_t i,
                                                   agent_fault fault);

/// The agents [begin, end) that child process `k` of `hosts` hosts: an even split of `agents`.
struct agent_range {
  size_t begin = 0;
  size_t end = 0;
};

agent_range host_range(size_t agents, size_t hosts, size_t k);

} // namespace baikal::sim
