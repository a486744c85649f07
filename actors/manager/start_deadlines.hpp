#pragma once

/// The deadlines of the sessions the launcher is starting, swept a few times per deadline
/// instead of a request timeout per start. CAF 0.17 keeps a request's timeout in its clock
/// until it is due, answered or not: with the 30-minute session start timeout that is ~360 B
/// per started session for half an hour (a burst of 100,000 starts held 36 MB; 1,000 starts a
/// second would hold 650 MB), and every one of them fires in the end.

#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "messages/ids.hpp"

namespace baikal {

class start_deadlines {
public:
  using clock = std::chrono::steady_clock;
  using starter_id = uint64_t; ///< the starter actor's id

  void add(starter_id starter, session_id session, clock::time_point due);

  /// Forgets a start that answered. False when it is not here: it passed its deadline and was
  /// taken by take_expired, so its late answer is not to be used.
  bool finish(starter_id starter);

  /// Removes the starts whose deadline is at or before `now`, and returns them.
  std::vector<std::pair<starter_id, session_id>> take_expired(clock::time_point now);

  bool empty() const { return due_.empty(); }
  size_t size() const { return due_.size(); }

  /// How often to sweep for a start timeout: often enough that a start ends at most a quarter
  /// of its timeout late (and at most a second), never more than 100 times a second.
  static clock::duration sweep_every(clock::duration timeout);

private:
  struct entry {
    session_id session;
    clock::time_point due;
  };
  std::unordered_map<starter_id, entry> due_;
};

} // namespace baikal
