#pragma once

/// Which agents the scheduler keeps sessions away from because their kernel creations keep
/// failing for reasons of their own (the engine refuses, the disk is full, the runner never
/// answers). A broken agent frees its slots as soon as a creation fails, so without this it
/// looks like the emptiest agent and draws every next session into the same failure.
///
/// A plain class fed with outcomes and times, so that it can be tested without an actor:
///  - `failures_until_quarantine` agent-side failures in a row quarantine an agent for a
///    back-off that doubles with every quarantine in a row (from `first_backoff` up to
///    `max_backoff`); a success in between resets the count;
///  - when the back-off has passed the agent is probing: it may take one placement, the probe;
///    after that none until the probe's outcome comes (or, should it never come, until another
///    back-off has passed, when it may take the next probe);
///  - a success (the probe's or any late one) clears the agent; a failure while probing
///    quarantines it again for the doubled back-off.
/// Outcomes of placements made before the quarantine began may still come while it lasts:
/// a failure then only updates the reason, a success clears the agent.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "messages/ids.hpp"

namespace baikal {

struct quarantine_settings {
  /// Agent-side creation failures in a row that quarantine an agent; 0 turns quarantine off.
  int failures_until_quarantine = 3;
  std::chrono::milliseconds first_backoff{10 * 1000};
  std::chrono::milliseconds max_backoff{10 * 60 * 1000};
};

enum class quarantine_phase : uint8_t {
  clear,       ///< placements as usual
  quarantined, ///< no placements until the back-off has passed
  probing,     ///< the back-off has passed: one placement is the probe
};

std::string to_string(quarantine_phase x);

/// One agent's quarantine as /v1/agents and the metrics show it.
struct quarantine_status {
  quarantine_phase phase = quarantine_phase::clear;
  std::string reason;       ///< the last agent-side failure
  int64_t remaining_ms = 0; ///< until the back-off ends (0 once probing)
  uint32_t failures = 0;    ///< agent-side failures in a row
  uint32_t quarantines = 0; ///< quarantines in a row (the back-off's exponent)
};

class agent_quarantine {
public:
  using clock = std::chrono::steady_clock;

  explicit agent_quarantine(quarantine_settings settings = {}) : settings_(settings) {}

  /// A creation on `agent` failed for a reason of its own. True when the agent stops taking
  /// placements because of it.
  bool failed(const agent_id& agent, const std::string& reason, clock::time_point now);

  /// A creation on `agent` succeeded. True when the agent takes placements again because of it.
  bool succeeded(const agent_id& agent);

  /// A session was placed on `agent`. True when the agent takes no more placements because of
  /// it (it was the probe).
  bool placed(const agent_id& agent, clock::time_point now);

  /// Whether sessions may be placed on `agent` at `now`.
  bool placeable(const agent_id& agent, clock::time_point now) const;

  /// The agents whose back-off (or a probe's wait) ended by `now` and that take a placement
  /// again, each reported once per ending.
  std::vector<agent_id> due(clock::time_point now);

  /// When the earliest back-off or probe wait ends; none when no agent waits.
  std::optional<clock::time_point> next_due() const;

  quarantine_status status(const agent_id& agent, clock::time_point now) const;

  /// Agents quarantined or probing.
  size_t held() const { return held_; }

  /// Agents with a failure since their last success (held or not): none, and a success
  /// changes nothing.
  size_t tracked() const { return agents_.size(); }

  /// Those agents.
  std::vector<agent_id> suspects() const;

  /// The agents quarantined or probing, with their status at `now`.
  std::vector<std::pair<agent_id, quarantine_status>> held_agents(clock::time_point now) const;

  const quarantine_settings& settings() const { return settings_; }

private:
  struct entry {
    quarantine_phase phase = quarantine_phase::clear;
    std::string reason;
    uint32_t failures = 0;
    uint32_t quarantines = 0;
    clock::time_point until; ///< the back-off's end, or the probe's wait's end
    bool probe_out = false;  ///< probing: the probe was placed, its outcome not in yet
    bool due_told = true;    ///< `until` was reported by due() already
  };

  std::chrono::milliseconds backoff(uint32_t quarantines) const;
  void quarantine(entry& e, clock::time_point now);
  bool waiting(const entry& e, clock::time_point now) const;

  quarantine_settings settings_;
  std::map<agent_id, entry> agents_; ///< only agents with a failure since their last success
  size_t held_ = 0;
};

} // namespace baikal
