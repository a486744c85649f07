#pragma once

/// The replay buffer of the manager's event feed: numbers each event (one more than the last)
/// and keeps the newest `capacity` of them, so a client that comes back with the last id it
/// saw (SSE's Last-Event-ID) gets the events after it. What the buffer no longer holds is
/// reported as a gap instead.
///
/// Ids start at `first_id`; the manager starts them at the wall clock in microseconds, so the
/// ids of a manager process are all above those of the processes before it (as long as they
/// gave fewer than a million events a second and the clock did not go back): a client's id
/// from before a restart is then an old id, answered with a gap and the new process's events.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "messages/event_feed.hpp"

namespace baikal {

/// How many events the manager keeps for replays (about 3 MB of JSON at typical sizes).
constexpr size_t default_event_replay_capacity = 10000;

/// Whether `e` is one that `selection` wants.
bool selects(const event_selection& selection, const published_event& e);

class event_log {
public:
  event_log(size_t capacity, uint64_t first_id);

  /// Numbers the event, keeps it (forgetting the oldest beyond the capacity) and answers it.
  const published_event& add(std::string type, session_id session, std::string json);

  /// The kept events above `after` that `selection` wants, after a gap when events above
  /// `after` are no longer kept. An id above the newest one given (not this process's, its
  /// clock went back, or made up) cannot be placed: the answer is a gap from 0 to the newest
  /// id, and no events (the stream continues live).
  event_replay since(uint64_t after, const event_selection& selection) const;

  /// The id of the newest event given; first_id - 1 before the first.
  uint64_t last_id() const { return next_ - 1; }

  size_t size() const { return kept_.size(); }

private:
  std::deque<published_event> kept_;
  size_t capacity_;
  uint64_t next_;
};

/// The first id of a manager process started now: the wall clock's milliseconds times 1000
/// (a timestamp in microseconds; at least 1).
uint64_t event_ids_from_clock();

} // namespace baikal
