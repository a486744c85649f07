#include "actors/manager/agent_mirror.hpp"

#include <algorithm>
#include <utility>

#include "messages/errors.hpp"

namespace baikal {

bool agent_mirror::update(agent_record record, agent_actor handle, sched::slot_view& slots,
                          manager_metrics& metrics) {
  auto [entry, added] = agents_.try_emplace(record.id);
  auto& a = entry->second;
  // A new agent's default record reads ALIVE already: it is revived all the same.
  bool revived =
      record.status == agent_status::alive && (added || a.record.status != agent_status::alive);
  count_agent_change(metrics, a.record, record);
  a.record = std::move(record);
  a.handle = std::move(handle);
  for (auto& slot : a.record.capacity)
    offered_slots_.insert(slot.first);
  refresh(a.record.id, slots, clock::now());
  return revived || takes_placements(a.record.id, clock::now());
}

const agent_mirror::known_agent* agent_mirror::find(const agent_id& id) const {
  auto a = agents_.find(id);
  return a == agents_.end() ? nullptr : &a->second;
}

caf::expected<agent_actor> agent_mirror::handle_of(const agent_id& id) const {
  auto* a = find(id);
  if (!a)
    return make_error(errc::not_found, "no agent " + id);
  if (!a->handle || a->record.status != agent_status::alive)
    return make_error(errc::unavailable, "agent " + id + " is " + to_string(a->record.status) +
                                             "; try again when it is back");
  return a->handle;
}

caf::expected<kernel_route> agent_mirror::route_to(const session_id& session,
                                                   const kernel_id& kernel,
                                                   const agent_id& agent) const {
  auto* a = find(agent);
  if (!a || !a->handle || a->record.status != agent_status::alive)
    return make_error(errc::unavailable, "agent " + agent + " of session " + session +
                                             " is not connected; try again when it is back");
  return kernel_route{session, kernel, agent, a->handle};
}

std::vector<agent_view> agent_mirror::views(std::vector<agent_record> records,
                                            const sched::slot_view& slots,
                                            clock::time_point now) const {
  std::vector<agent_view> out;
  out.reserve(records.size());
  for (auto& r : records) {
    auto used = slots.used(r.id);
    auto q = quarantine_.status(r.id, now);
    agent_quarantine_view view{to_string(q.phase), q.reason, q.remaining_ms, q.failures};
    bool is_drained = drained(r.id);
    out.push_back({std::move(r), std::move(used), std::move(view), is_drained});
  }
  return out;
}

namespace {

/// Whether `a` may take placements as far as the agent itself goes (a drain aside).
bool placeable(const agent_mirror::known_agent* a, const agent_quarantine& quarantine,
               agent_mirror::clock::time_point now) {
  return a && a->record.status == agent_status::alive && a->handle && a->record.unhealthy.empty() &&
         quarantine.placeable(a->record.id, now);
}

} // namespace

bool agent_mirror::takes_placements(const agent_id& id, clock::time_point now) const {
  return !drained(id) && placeable(find(id), quarantine_, now);
}

void agent_mirror::refresh(const agent_id& id, sched::slot_view& slots,
                           clock::time_point now) const {
  auto* a = find(id);
  if (!a)
    return;
  auto& rec = a->record;
  slots.set_agent(id, rec.addr, rec.scaling_group, placeable(a, quarantine_, now), rec.capacity,
                  drained(id));
}

bool agent_mirror::set_drained(const agent_id& id, bool drained, sched::slot_view& slots) {
  bool changed = drained ? drained_.insert(id).second : drained_.erase(id) > 0;
  if (changed)
    refresh(id, slots, clock::now());
  return changed;
}

bool agent_mirror::placed(const agent_id& agent, sched::slot_view& slots, clock::time_point now) {
  if (quarantine_.held() == 0 || !quarantine_.placed(agent, now))
    return false;
  log_->info("agent {} takes a session as the probe of its quarantine", agent);
  refresh(agent, slots, now);
  return true;
}

bool agent_mirror::launch_succeeded(const scheduled_session& spec, sched::slot_view& slots) {
  if (quarantine_.tracked() == 0)
    return false;
  bool cleared = false;
  for (auto& k : spec.kernels)
    if (quarantine_.succeeded(k.agent)) {
      log_->info("agent {} started the kernels of session {}: its quarantine is over", k.agent,
                 spec.id);
      refresh(k.agent, slots, clock::now());
      cleared = true;
    }
  return cleared;
}

size_t agent_mirror::launch_failed(const front::launch_failed& x, sched::slot_view& slots,
                                   clock::time_point now) {
  size_t quarantined = 0;
  for (auto& f : x.failures) {
    if (!quarantine_.failed(f.agent, f.message, now))
      continue;
    auto q = quarantine_.status(f.agent, now);
    ++quarantined;
    log_->warn("agent {} is quarantined for {:.1f} s: {} kernel creation(s) in a row failed "
               "for reasons of its own (last, for session {}: {})",
               f.agent, static_cast<double>(q.remaining_ms) / 1000.0, q.failures, x.session,
               f.message);
    refresh(f.agent, slots, now);
  }
  return quarantined;
}

bool agent_mirror::tick_arrived(sched::slot_view& slots, clock::time_point now) {
  if (tick_at_ && *tick_at_ <= now)
    tick_at_.reset();
  bool any = false;
  for (auto& agent : quarantine_.due(now)) {
    log_->info("agent {}'s quarantine back-off is over: its next session is the probe", agent);
    refresh(agent, slots, now);
    any = true;
  }
  return any;
}

std::optional<agent_mirror::clock::duration> agent_mirror::tick_needed(clock::time_point now) {
  auto next = quarantine_.next_due();
  if (!next || (tick_at_ && *tick_at_ <= *next))
    return std::nullopt;
  tick_at_ = *next;
  return std::max(*next - now, clock::duration::zero());
}

std::string agent_mirror::with_quarantine_note(const std::string& reason) const {
  auto n = quarantine_.held();
  if (n == 0)
    return reason;
  return reason + "; " + std::to_string(n) + " agent" + (n == 1 ? " is" : "s are") +
         " quarantined after failing kernel creations (see /v1/agents)";
}

void count_agent_change(manager_metrics& m, const agent_record& before, const agent_record& after) {
  auto& by_status = m.agents_by_status;
  if (auto old = by_status.find(before.status); !before.id.empty() && old != by_status.end())
    if (--old->second == 0)
      by_status.erase(old);
  ++by_status[after.status];
  auto unhealthy = [](const agent_record& r) {
    return r.status == agent_status::alive && !r.unhealthy.empty();
  };
  if (unhealthy(before))
    --m.unhealthy_agents;
  if (unhealthy(after))
    ++m.unhealthy_agents;
}

} // namespace baikal
