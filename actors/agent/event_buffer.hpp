#pragma once

/// Events an agent produced while it had no manager to send them to. Bounded: when full, the
/// oldest event makes room for the newest (recent lifecycle events matter more to a manager that
/// comes back than old progress lines), and the caller learns that it dropped one so it can say
/// so in the log.

#include <cstddef>
#include <deque>
#include <vector>

#include <caf/message.hpp>

namespace baikal {

class event_buffer {
public:
  explicit event_buffer(size_t capacity = 10000) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Keeps `event`; answers true when the oldest event was dropped to make room.
  bool push(caf::message event);

  /// Every kept event, oldest first, leaving the buffer empty.
  std::vector<caf::message> drain();

  /// Puts `events` (sent, but not confirmed delivered, oldest first) back ahead of the kept
  /// ones, which are newer; when that overflows, the oldest are dropped. Answers how many.
  size_t requeue(std::vector<caf::message> events);

  size_t size() const { return events_.size(); }
  size_t capacity() const { return capacity_; }
  /// Events dropped since the buffer was made.
  size_t dropped() const { return dropped_; }

private:
  size_t capacity_;
  size_t dropped_ = 0;
  std::deque<caf::message> events_;
};

} // namespace baikal
