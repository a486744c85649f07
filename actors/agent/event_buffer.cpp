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

} // namespace baikal
