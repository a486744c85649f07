#include "actors/manager/placement_book.hpp"

#include <iterator>
#include <memory>
#include <utility>

namespace baikal {

namespace {

sched::demand demand_of(const scheduled_session& spec) {
  return {spec.scaling_group, spec.mode, spec.cluster_size,
          spec.kernels.empty() ? resource_slots{} : spec.kernels.front().slots};
}

bool same_demand(const sched::demand& a, const sched::demand& b) {
  return a.scaling_group == b.scaling_group && a.mode == b.mode &&
         a.cluster_size == b.cluster_size && a.per_kernel == b.per_kernel;
}

} // namespace

std::string placement_book::never_fits(const scheduled_session& spec) const {
  return slots_.never_fits(demand_of(spec));
}

void placement_book::add(const session_id& id, session_entry& e) {
  if (e.status == session_status::pending)
    pending_.push_back(id);
  else
    hold(e);
}

void placement_book::hold(session_entry& e) {
  for (auto& k : e.spec->kernels) {
    slots_.add_use(k.agent, k.slots, 1);
    sessions_on_agent_[k.agent].insert(&e);
  }
  e.holds_slots = true;
}

void placement_book::release(session_entry& e) {
  if (!e.holds_slots)
    return;
  for (auto& k : e.spec->kernels) {
    slots_.add_use(k.agent, k.slots, -1);
    if (auto on = sessions_on_agent_.find(k.agent); on != sessions_on_agent_.end()) {
      on->second.erase(&e);
      if (on->second.empty())
        sessions_on_agent_.erase(on);
    }
  }
  e.holds_slots = false;
}

bool placement_book::started(session_entry& e) {
  if (!e.starting)
    return false;
  e.starting = false;
  --starting_;
  return true;
}

bool placement_book::moved(session_entry& e) {
  bool ended = is_terminal(e.status);
  bool may_place = (e.status == session_status::running || ended) && started(e);
  if (ended && e.holds_slots) {
    release(e);
    may_place = true; // the freed slots may fit a waiting session
  }
  return may_place && !pending_.empty();
}

void placement_book::place_again(const session_id& id, session_entry& e,
                                 std::vector<agent_id> avoid) {
  started(e);
  release(e);
  e.pending_reason = std::string{};
  avoid_[id] = std::move(avoid);
  pending_.push_front(id);
}

void placement_book::pass(const pass_hooks& hooks) {
  if (pending_.empty())
    return;
  // Within one pass slots are only taken, never freed: a demand that did not fit once does not
  // fit again, so the sessions asking the same are told the same reason without a search.
  std::vector<std::pair<sched::demand, std::string>> refused;
  std::deque<session_id> still; ///< refused now: back to the front of the queue, in order
  while (!pending_.empty() && starting_ < max_starting_) {
    auto id = std::move(pending_.front());
    pending_.pop_front();
    auto* e = hooks.waiting(id);
    if (!e)
      continue;
    auto d = demand_of(*e->spec);
    const std::string* reason = nullptr;
    sched::placement p;
    // Placed again: on an agent without recent failures if any has room (so never as the
    // probe of a quarantined agent); if none has, where its kind would go.
    if (auto av = avoid_.find(id); av != avoid_.end()) {
      auto avoid = av->second;
      auto suspects = hooks.suspects();
      avoid.insert(avoid.end(), suspects.begin(), suspects.end());
      p = slots_.place(d, avoid);
    }
    if (!p.placed()) {
      for (auto& r : refused)
        if (same_demand(r.first, d))
          reason = &r.second;
      if (!reason) {
        p = slots_.place(d);
        if (!p.placed()) {
          refused.emplace_back(d, hooks.explain(p.reason));
          reason = &refused.back().second;
        }
      }
    }
    if (reason) {
      // The session records a reason only when it changes: tell it only then.
      if (*reason != e->pending_reason) {
        e->pending_reason = *reason;
        hooks.still_pending(*e, *reason);
      }
      still.push_back(std::move(id));
      continue;
    }
    // A new spec: the old one is shared with the session actor, which reads it meanwhile.
    auto bound = std::make_shared<scheduled_session>(*e->spec);
    slots_.bind(*bound, p);
    e->spec = std::move(bound);
    avoid_.erase(id);
    hold(*e);
    e->starting = true;
    ++starting_;
    hooks.bound(*e, p);
  }
  pending_.insert(pending_.begin(), std::make_move_iterator(still.begin()),
                  std::make_move_iterator(still.end()));
}

std::vector<kernel_session> placement_book::kernels_on(const agent_id& agent) const {
  std::vector<kernel_session> out;
  auto on = sessions_on_agent_.find(agent);
  if (on == sessions_on_agent_.end())
    return out;
  // Sessions holding slots are those bound and not ended: a superset of the ones that may run.
  for (auto* e : on->second) {
    if (!may_run_kernels(e->status))
      continue;
    for (auto& k : kernels_of(*e))
      if (k.agent == agent)
        out.push_back({k.id, id_of(*e)});
  }
  return out;
}

bool may_run_kernels(session_status status) {
  return status == session_status::prepared || status == session_status::creating ||
         status == session_status::running || status == session_status::terminating;
}

} // namespace baikal
