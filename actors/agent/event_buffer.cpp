#include "actors/agent/event_buffer.hpp"

namespace baikal {

bool event_buffer::push(caf::message event) {
  bool full = events_.size() >= capacity_;
  if (full) {
    events_.pop_front();
    ++dropped_;
  }
  events_.push_back(std::move(event));
  return full;
}

std::vector<caf::message> event_buffer::drain() {
  std::vector<caf::message> out{std::make_move_iterator(events_.begin()),
                                std::make_move_iterator(events_.end())};
  events_.clear();
  return out;
}

size_t event_buffer::requeue(std::vector<caf::message> events) {
  events_.insert(events_.begin(), std::make_move_iterator(events.begin()),
                 std::make_move_iterator(events.end()));
  size_t dropped = 0;
  while (events_.size() > capacity_) {
    events_.pop_front();
    ++dropped;
  }
  dropped_ += dropped;
  return dropped;
}

} // namespace baikal
