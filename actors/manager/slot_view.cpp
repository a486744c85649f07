#include "actors/manager/slot_view.hpp"

#include <algorithm>
#include <vector>

namespace baikal::sched {

namespace {

const resource_slots no_slots;

} // namespace

void slot_view::unorder(const agent_id& id, agent_entry& a) {
  if (!a.ordered)
    return;
  auto g = groups_.find(a.scaling_group);
  if (g != groups_.end())
    g->second.erase({a.key, id});
  a.ordered = false;
}

void slot_view::reorder(const agent_id& id, agent_entry& a) {
  unorder(id, a);
  if (!a.alive || a.drained)
    return;
  auto share = free_share(a.capacity, a.used);
  // Concentrated prefers the least free share, dispersed the most; both break ties by id,
  // which the set's order on (key, id) does by itself.
  a.key = policy_ == policy::concentrated ? share : -share;
  groups_[a.scaling_group].insert({a.key, id});
  a.ordered = true;
}

void slot_view::set_agent(const agent_id& id, std::string addr, std::string scaling_group,
                          bool alive, resource_slots capacity, bool drained) {
  auto& a = agents_[id];
  unorder(id, a);
  if (a.alive && a.drained && --drained_[a.scaling_group] == 0)
    drained_.erase(a.scaling_group);
  a.addr = std::move(addr);
  a.scaling_group = std::move(scaling_group);
  a.alive = alive;
  a.drained = drained;
  a.capacity = std::move(capacity);
  if (a.alive && a.drained)
    ++drained_[a.scaling_group];
  reorder(id, a);
}

size_t slot_view::drained_in(const std::string& group) const {
  auto g = drained_.find(group);
  return g == drained_.end() ? 0 : g->second;
}

void slot_view::add_use(const agent_id& agent, const resource_slots& slots, double sign) {
  auto& a = agents_[agent];
  accumulate(a.used, slots, sign);
  reorder(agent, a);
}

const agent_id* slot_view::pick(const order& group, const resource_slots& need,
                                const std::vector<agent_id>& avoid) const {
  for (auto& [key, id] : group) {
    if (!avoid.empty() && std::find(avoid.begin(), avoid.end(), id) != avoid.end())
      continue;
    auto& a = agents_.at(id);
    if (fits_free(a.capacity, a.used, need))
      return &id;
  }
  return nullptr;
}

std::string slot_view::most_free(const demand& d, const order& group,
                                 const std::vector<agent_id>& avoid) const {
  const agent_id* best = nullptr;
  double best_share = 0;
  for (auto& [key, id] : group) {
    if (!avoid.empty() && std::find(avoid.begin(), avoid.end(), id) != avoid.end())
      continue;
    auto& a = agents_.at(id);
    auto share = free_share(a.capacity, a.used);
    if (more_free(share, id, best_share, best)) {
      best = &id;
      best_share = share;
    }
  }
  if (!best)
    return {};
  auto& a = agents_.at(*best);
  return describe_most_free(d, *best, a.capacity, a.used);
}

std::string slot_view::never_fits(const demand& d) const {
  // Every create asks, and nearly every request fits the first agents of its group: stopping
  // there keeps a create's cost the same with ten thousand agents as with ten. Only a refusal
  // looks at them all, to say why.
  uint32_t total = 0;
  for (auto& [id, a] : agents_) {
    if (a.scaling_group != d.scaling_group)
      continue;
    auto holds = sched::kernels_fitting(a.capacity, d.per_kernel);
    if (d.mode == cluster_mode::single_node ? holds >= d.cluster_size
                                            : (total += holds) >= d.cluster_size)
      return {};
  }
  std::vector<std::pair<agent_id, const resource_slots*>> capacities;
  for (auto& [id, a] : agents_)
    if (a.scaling_group == d.scaling_group)
      capacities.emplace_back(id, &a.capacity);
  return sched::never_fits(d, capacities);
}

placement slot_view::place(const demand& d, const std::vector<agent_id>& avoid) {
  auto g = groups_.find(d.scaling_group);
  auto drained = drained_in(d.scaling_group);
  if (g == groups_.end() || g->second.empty())
    return {{}, no_alive_agent(d, drained)};
  auto candidates = g->second.size();
  placement out;
  if (d.mode == cluster_mode::single_node) {
    auto* id = pick(g->second, times(d.per_kernel, d.cluster_size), avoid);
    if (!id)
      return {{}, no_room(d, candidates, most_free(d, g->second, avoid), drained)};
    out.agents.assign(d.cluster_size, *id);
    return out;
  }
  // Kernel by kernel, each seeing what the previous ones took; what they took is put back
  // exactly as it was afterwards (saved, not subtracted, so no rounding is left behind).
  std::vector<std::pair<agent_id, resource_slots>> saved;
  for (uint32_t i = 0; i < d.cluster_size; ++i) {
    auto* id = pick(g->second, d.per_kernel, avoid);
    if (!id) {
      out = {{}, no_room(d, candidates, most_free(d, g->second, avoid), drained)};
      break;
    }
    agent_id chosen = *id;
    auto& a = agents_.at(chosen);
    bool seen = false;
    for (auto& s : saved)
      seen = seen || s.first == chosen;
    if (!seen)
      saved.emplace_back(chosen, a.used);
    accumulate(a.used, d.per_kernel);
    reorder(chosen, a);
    out.agents.push_back(std::move(chosen));
  }
  for (auto& [id, used] : saved) {
    auto& a = agents_.at(id);
    a.used = std::move(used);
    reorder(id, a);
  }
  return out;
}

void slot_view::bind(scheduled_session& session, const placement& p) const {
  std::map<agent_id, uint32_t> rank;
  for (size_t i = 0; i < session.kernels.size() && i < p.agents.size(); ++i) {
    auto& k = session.kernels[i];
    k.agent = p.agents[i];
    auto a = agents_.find(k.agent);
    k.agent_addr = a == agents_.end() ? std::string{} : a->second.addr;
    k.local_rank = rank[k.agent]++;
  }
}

const resource_slots& slot_view::used(const agent_id& agent) const {
  auto a = agents_.find(agent);
  return a == agents_.end() ? no_slots : a->second.used;
}

} // namespace baikal::sched
