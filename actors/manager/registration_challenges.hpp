#pragma once

/// The challenges the agent registry handed out and no registration has used yet. A proof of
/// identity (runtime/cluster/agent_identity.hpp) counts only over a challenge from here: one
/// that the registry made, at most `ttl` ago, and that no registration used before, so a
/// recorded registration cannot be played again. Plain value, no actor; times come from the
/// caller (a monotonic clock, so a wall-clock jump neither expires nor extends a challenge).

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <string>

namespace baikal {

class registration_challenges {
public:
  using clock = std::chrono::steady_clock;

  /// Keeps at most `capacity` challenges (the oldest go first), each usable for `ttl`.
  registration_challenges(std::chrono::milliseconds ttl, size_t capacity);

  /// Records `challenge` as handed out at `now`.
  void add(const std::string& challenge, clock::time_point now);

  /// Whether `challenge` was handed out no more than ttl before `now` and not used yet; it is
  /// used up either way.
  bool redeem(const std::string& challenge, clock::time_point now);

  /// Challenges still outstanding (expired ones are dropped as new ones come).
  size_t size() const { return issued_.size(); }

private:
  void drop_expired(clock::time_point now);

  std::chrono::milliseconds ttl_;
  size_t capacity_;
  std::map<std::string, clock::time_point> issued_;
  std::deque<std::pair<clock::time_point, std::string>> order_; ///< oldest first
};

} // namespace baikal
