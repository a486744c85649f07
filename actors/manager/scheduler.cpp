#include "actors/manager/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "messages/errors.hpp"

namespace baikal::sched {

namespace {

/// The agent `p` prefers among `candidates` for `need`, or nullptr when none fits.
agent_slots* pick(std::vector<agent_slots>& candidates, const resource_slots& need, policy p) {
  agent_slots* best = nullptr;
  double best_share = 0;
  for (auto& a : candidates) {
    if (!fits(free_slots(a), need))
      continue;
    auto share = free_share(a.capacity, a.used);
    bool better = !best || (p == policy::concentrated ? share < best_share : share > best_share);
    // Ties go to the smaller id, so the same cluster state always gives the same placement.
    if (better || (share == best_share && a.id < best->id)) {
      best = &a;
      best_share = share;
    }
  }
  return best;
}

/// The slots of `capacity` that `d` asks for.
resource_slots capacity_of(const demand& d, const resource_slots& capacity) {
  resource_slots out;
  for (auto& [name, amount] : d.per_kernel)
    if (amount > 0) {
      auto c = capacity.find(name);
      out[name] = c == capacity.end() ? 0.0 : c->second;
    }
  return out;
}

/// The agent of `candidates` closest to fitting, described for a reason.
std::string most_free_of(const demand& d, const std::vector<agent_slots>& candidates) {
  const agent_slots* best = nullptr;
  double best_share = 0;
  for (auto& a : candidates) {
    auto share = free_share(a.capacity, a.used);
    if (more_free(share, a.id, best_share, best ? &best->id : nullptr)) {
      best = &a;
      best_share = share;
    }
  }
  return best ? describe_most_free(d, best->id, best->capacity, best->used) : std::string{};
}

} // namespace

caf::expected<policy> policy_from(const std::string& name) {
  if (name == "concentrated")
    return policy::concentrated;
  if (name == "dispersed")
    return policy::dispersed;
  return make_error(errc::invalid_argument,
                    "unknown scheduling policy '" + name + "': use 'concentrated' or 'dispersed'");
}

double free_share(const resource_slots& capacity, const resource_slots& used) {
  double sum = 0;
  size_t n = 0;
  for (auto& [name, cap] : capacity) {
    if (cap <= 0)
      continue;
    auto i = used.find(name);
    auto u = i == used.end() ? 0.0 : i->second;
    sum += (cap - u) / cap;
    ++n;
  }
  return n == 0 ? 0 : sum / static_cast<double>(n);
}

bool fits_free(const resource_slots& capacity, const resource_slots& used,
               const resource_slots& need) {
  // The same arithmetic as fits(free_slots(...), need): capacity - use, with the same slack.
  constexpr double epsilon = 1e-9;
  for (auto& [name, amount] : need) {
    if (amount <= 0)
      continue;
    auto c = capacity.find(name);
    auto u = used.find(name);
    if (c == capacity.end() && u == used.end())
      return false;
    double free = c == capacity.end() ? 0.0 : c->second;
    if (u != used.end())
      free -= u->second;
    if (free + epsilon < amount)
      return false;
  }
  return true;
}

namespace {

/// " (2 drained: taking no new kernels)", or nothing when no agent of the group is drained.
std::string drained_note(size_t drained) {
  if (drained == 0)
    return {};
  return " (" + std::to_string(drained) + " drained: taking no new kernels)";
}

} // namespace

std::string no_room(const demand& d, size_t candidates, const std::string& most_free,
                    size_t drained) {
  std::ostringstream out;
  out << "not enough free resources in scaling group '" << d.scaling_group << "' (" << candidates
      << " ALIVE agent" << (candidates == 1 ? "" : "s") << ") for " << d.cluster_size << " kernel"
      << (d.cluster_size == 1 ? "" : "s") << " of " << describe(d.per_kernel);
  if (d.mode == cluster_mode::single_node && d.cluster_size > 1)
    out << " on one agent";
  if (!most_free.empty())
    out << ": the most free is " << most_free;
  if (drained > 0)
    out << "; " << drained << " more ALIVE agent" << (drained == 1 ? " is" : "s are")
        << " drained, taking no new kernels";
  return out.str();
}

std::string describe_most_free(const demand& d, const agent_id& id, const resource_slots& capacity,
                               const resource_slots& used) {
  resource_slots free;
  for (auto& [name, amount] : d.per_kernel) {
    if (amount <= 0)
      continue;
    auto c = capacity.find(name);
    auto u = used.find(name);
    free[name] = (c == capacity.end() ? 0.0 : c->second) - (u == used.end() ? 0.0 : u->second);
  }
  return describe(free) + " free on " + id;
}

bool more_free(double share, const agent_id& id, double best_share, const agent_id* best) {
  return !best || share > best_share || (share == best_share && id < *best);
}

uint32_t kernels_fitting(const resource_slots& capacity, const resource_slots& per_kernel) {
  constexpr double epsilon = 1e-9;
  constexpr uint32_t unbounded = 1u << 30;
  double most = unbounded;
  for (auto& [name, amount] : per_kernel) {
    if (amount <= 0)
      continue;
    auto c = capacity.find(name);
    double cap = c == capacity.end() ? 0.0 : c->second;
    most = std::min(most, std::floor((cap + epsilon) / amount));
  }
  return static_cast<uint32_t>(std::max(0.0, most));
}

std::string never_fits(const demand& d,
                       const std::vector<std::pair<agent_id, const resource_slots*>>& capacities) {
  if (capacities.empty())
    return {};
  uint32_t total = 0;
  const agent_id* largest = nullptr;
  const resource_slots* largest_capacity = nullptr;
  uint32_t largest_holds = 0;
  for (auto& [id, capacity] : capacities) {
    auto holds = kernels_fitting(*capacity, d.per_kernel);
    if (d.mode == cluster_mode::single_node ? holds >= d.cluster_size
                                            : (total += holds) >= d.cluster_size)
      return {};
    if (!largest || holds > largest_holds || (holds == largest_holds && id < *largest)) {
      largest = &id;
      largest_capacity = capacity;
      largest_holds = holds;
    }
  }
  std::ostringstream out;
  auto kernels = std::to_string(d.cluster_size) + " kernel" + (d.cluster_size == 1 ? "" : "s") +
                 " of " + describe(d.per_kernel);
  if (d.mode == cluster_mode::single_node)
    out << "no agent in scaling group '" << d.scaling_group << "' could ever hold " << kernels
        << (d.cluster_size > 1 ? " on one agent" : "") << ": the largest, " << *largest << ", has "
        << describe(capacity_of(d, *largest_capacity));
  else
    out << "the " << capacities.size() << " agent" << (capacities.size() == 1 ? "" : "s")
        << " of scaling group '" << d.scaling_group << "' could hold at most " << total
        << " of the " << kernels << ", even idle";
  return out.str();
}

std::string no_alive_agent(const demand& d, size_t drained) {
  return "no ALIVE agent in scaling group '" + d.scaling_group + "'" + drained_note(drained);
}

resource_slots free_slots(const agent_slots& agent) {
  auto out = agent.capacity;
  for (auto& [name, used] : agent.used)
    out[name] -= used;
  return out;
}

bool fits(const resource_slots& available, const resource_slots& need) {
  // A little slack so that fractions adding up to the capacity still fit.
  constexpr double epsilon = 1e-9;
  for (auto& [name, amount] : need) {
    if (amount <= 0)
      continue;
    auto i = available.find(name);
    if (i == available.end() || i->second + epsilon < amount)
      return false;
  }
  return true;
}

resource_slots times(const resource_slots& x, double n) {
  auto out = x;
  for (auto& entry : out)
    entry.second *= n;
  return out;
}

void accumulate(resource_slots& into, const resource_slots& slots, double sign) {
  for (auto& [name, amount] : slots)
    into[name] += sign * amount;
}

std::string describe(const resource_slots& slots) {
  std::ostringstream out;
  bool first = true;
  for (auto& [name, amount] : slots) {
    out << (first ? "" : " ") << name << '=';
    // Whole amounts (bytes, CPUs) as integers: "mem=1000000000", not "mem=1e+09".
    if (amount == std::floor(amount) && std::fabs(amount) < 1e15)
      out << static_cast<int64_t>(amount);
    else
      out << amount;
    first = false;
  }
  return first ? "no resources" : out.str();
}

placement place(const demand& d, const std::vector<agent_slots>& agents, policy p) {
  std::vector<agent_slots> candidates;
  size_t drained = 0;
  for (auto& a : agents)
    if (a.alive && a.scaling_group == d.scaling_group) {
      if (a.drained)
        ++drained;
      else
        candidates.push_back(a);
    }
  if (candidates.empty())
    return {{}, no_alive_agent(d, drained)};
  placement out;
  if (d.mode == cluster_mode::single_node) {
    auto* agent = pick(candidates, times(d.per_kernel, d.cluster_size), p);
    if (!agent)
      return {{}, no_room(d, candidates.size(), most_free_of(d, candidates), drained)};
    out.agents.assign(d.cluster_size, agent->id);
    return out;
  }
  for (uint32_t i = 0; i < d.cluster_size; ++i) {
    auto* agent = pick(candidates, d.per_kernel, p);
    if (!agent)
      return {{}, no_room(d, candidates.size(), most_free_of(d, candidates), drained)};
    accumulate(agent->used, d.per_kernel);
    out.agents.push_back(agent->id);
  }
  return out;
}

void bind_kernels(scheduled_session& session, const placement& p,
                  const std::vector<agent_slots>& agents) {
  std::map<agent_id, std::string> addr;
  for (auto& a : agents)
    addr[a.id] = a.addr;
  std::map<agent_id, uint32_t> rank;
  for (size_t i = 0; i < session.kernels.size() && i < p.agents.size(); ++i) {
    auto& k = session.kernels[i];
    k.agent = p.agents[i];
    k.agent_addr = addr[k.agent];
    k.local_rank = rank[k.agent]++;
  }
}

} // namespace baikal::sched
