#include "tools/baikal-sim/fleet.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace baikal::sim {

std::vector<agent_fault> assign_faults(const sim_options& o) {
  std::vector<agent_fault> out(o.agents, agent_fault::none);
  auto count = [&](double share) { return static_cast<size_t>(std::llround(share * o.agents)); };
  size_t i = 0;
  for (size_t n = count(o.fail_create_share); n > 0 && i < out.size(); --n)
    out[i++] = agent_fault::fails_create;
  for (size_t n = count(o.hang_share); n > 0 && i < out.size(); --n)
    out[i++] = agent_fault::hangs;
  for (size_t n = count(o.silent_share); n > 0 && i < out.size(); --n)
    out[i++] = agent_fault::silent;
  std::mt19937_64 rng{42};
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

std::map<agent_id, agent_fault> faults_by_id(const std::vector<agent_fault>& faults) {
  std::map<agent_id, agent_fault> out;
  for (size_t i = 0; i < faults.size(); ++i)
    out[sim_agent_id(i)] = faults[i];
  return out;
}

std::unordered_set<agent_id> failing_agents(const std::vector<agent_fault>& faults) {
  std::unordered_set<agent_id> out;
  for (size_t i = 0; i < faults.size(); ++i)
    if (faults[i] == agent_fault::fails_create)
      out.insert(sim_agent_id(i));
  return out;
}

std::map<std::string, size_t> fault_counts(const std::vector<agent_fault>& faults) {
  std::map<std::string, size_t> out;
  for (auto f : faults)
    if (f != agent_fault::none)
      ++out[to_string(f)];
  return out;
}

agent_id sim_agent_id(size_t i) {
  return "sim-a" + std::to_string(i);
}

resource_slots agent_capacity(const sim_options& o) {
  auto kernels = static_cast<double>(o.sessions) *
                 (1 + o.multi_kernel_share * (static_cast<double>(o.cluster_size) - 1));
  auto per_agent = std::ceil(2 * kernels / static_cast<double>(o.agents));
  return {{"cpu", std::max<double>(per_agent, o.cluster_size) + 8}, {"mem", 1e18}};
}

std::shared_ptr<sim_agent_config> agent_config_for(const sim_options& o, size_t i,
                                                   agent_fault fault) {
  auto cfg = std::make_shared<sim_agent_config>();
  cfg->id = sim_agent_id(i);
  cfg->fault = fault;
  cfg->pull = o.pull;
  cfg->create = o.create;
  cfg->destroy = o.destroy;
  cfg->seed = i + 1;
  return cfg;
}

agent_range host_range(size_t agents, size_t hosts, size_t k) {
  if (hosts == 0)
    return {};
  return {agents * k / hosts, agents * (k + 1) / hosts};
}

} // namespace baikal::sim
