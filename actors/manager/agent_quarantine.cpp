#include "actors/manager/agent_quarantine.hpp"

#include <algorithm>

namespace baikal {

std::string to_string(quarantine_phase x) {
  switch (x) {
  case quarantine_phase::quarantined:
    return "quarantined";
  case quarantine_phase::probing:
    return "probing";
  case quarantine_phase::clear:
    break;
  }
  return "clear";
}

std::chrono::milliseconds agent_quarantine::backoff(uint32_t quarantines) const {
  auto out = settings_.first_backoff;
  for (uint32_t i = 0; i < quarantines && out < settings_.max_backoff; ++i)
    out *= 2;
  return std::min(out, settings_.max_backoff);
}

void agent_quarantine::quarantine(entry& e, clock::time_point now) {
  if (e.phase == quarantine_phase::clear)
    ++held_;
  e.phase = quarantine_phase::quarantined;
  e.until = now + backoff(e.quarantines);
  ++e.quarantines;
  e.probe_out = false;
  e.due_told = false;
}

/// Held and not yet free to take a placement (in its back-off, or waiting for its probe).
bool agent_quarantine::waiting(const entry& e, clock::time_point now) const {
  return e.phase != quarantine_phase::clear && now < e.until;
}

bool agent_quarantine::failed(const agent_id& agent, const std::string& reason,
                              clock::time_point now) {
  if (settings_.failures_until_quarantine <= 0)
    return false;
  auto& e = agents_[agent];
  e.reason = reason;
  ++e.failures;
  if (e.phase == quarantine_phase::clear) {
    if (e.failures < static_cast<uint32_t>(settings_.failures_until_quarantine))
      return false;
    quarantine(e, now);
    return true;
  }
  // Quarantined: a late outcome of a placement made before changes nothing. Probing: the
  // probe (or a placement as late) failed, and the next back-off is twice as long.
  if (waiting(e, now) && !e.probe_out)
    return false;
  bool was_placeable = !waiting(e, now);
  quarantine(e, now);
  return was_placeable;
}

bool agent_quarantine::succeeded(const agent_id& agent) {
  auto i = agents_.find(agent);
  if (i == agents_.end())
    return false;
  bool was_held = i->second.phase != quarantine_phase::clear;
  if (was_held)
    --held_;
  agents_.erase(i);
  return was_held;
}

bool agent_quarantine::placed(const agent_id& agent, clock::time_point now) {
  auto i = agents_.find(agent);
  if (i == agents_.end() || i->second.phase == quarantine_phase::clear || waiting(i->second, now))
    return false;
  auto& e = i->second;
  e.phase = quarantine_phase::probing;
  e.probe_out = true;
  // Should the probe's outcome never come, the next probe may go after another back-off.
  e.until = now + backoff(e.quarantines == 0 ? 0 : e.quarantines - 1);
  e.due_told = false;
  return true;
}

bool agent_quarantine::placeable(const agent_id& agent, clock::time_point now) const {
  auto i = agents_.find(agent);
  return i == agents_.end() || !waiting(i->second, now);
}

std::vector<agent_id> agent_quarantine::due(clock::time_point now) {
  std::vector<agent_id> out;
  for (auto& [id, e] : agents_)
    if (e.phase != quarantine_phase::clear && !e.due_told && e.until <= now) {
      e.due_told = true;
      out.push_back(id);
    }
  return out;
}

std::optional<agent_quarantine::clock::time_point> agent_quarantine::next_due() const {
  std::optional<clock::time_point> out;
  for (auto& [id, e] : agents_)
    if (e.phase != quarantine_phase::clear && !e.due_told && (!out || e.until < *out))
      out = e.until;
  return out;
}

quarantine_status agent_quarantine::status(const agent_id& agent, clock::time_point now) const {
  quarantine_status out;
  auto i = agents_.find(agent);
  if (i == agents_.end())
    return out;
  auto& e = i->second;
  out.reason = e.reason;
  out.failures = e.failures;
  out.quarantines = e.quarantines;
  if (e.phase == quarantine_phase::clear)
    return out;
  if (e.probe_out || !waiting(e, now)) {
    out.phase = quarantine_phase::probing;
    return out;
  }
  out.phase = quarantine_phase::quarantined;
  out.remaining_ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.until - now).count();
  return out;
}

std::vector<agent_id> agent_quarantine::suspects() const {
  std::vector<agent_id> out;
  out.reserve(agents_.size());
  for (auto& held : agents_)
    out.push_back(held.first);
  return out;
}

std::vector<std::pair<agent_id, quarantine_status>>
agent_quarantine::held_agents(clock::time_point now) const {
  std::vector<std::pair<agent_id, quarantine_status>> out;
  for (auto& [id, e] : agents_)
    if (e.phase != quarantine_phase::clear)
      out.emplace_back(id, status(id, now));
  return out;
}

} // namespace baikal
