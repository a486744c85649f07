#include "actors/manager/start_deadlines.hpp"

#include <algorithm>

namespace baikal {

void start_deadlines::add(starter_id starter, session_id session, clock::time_point due) {
  due_[starter] = entry{std::move(session), due};
}

bool start_deadlines::finish(starter_id starter) {
  return due_.erase(starter) > 0;
}

std::vector<std::pair<start_deadlines::starter_id, session_id>>
start_deadlines::take_expired(clock::time_point now) {
  std::vector<std::pair<starter_id, session_id>> out;
  // Scanned whole: the starts in flight are bounded (manager.max-starting), the sweep rare.
  for (auto i = due_.begin(); i != due_.end();) {
    if (i->second.due <= now) {
      out.emplace_back(i->first, std::move(i->second.session));
      i = due_.erase(i);
    } else {
      ++i;
    }
  }
  return out;
}

start_deadlines::clock::duration start_deadlines::sweep_every(clock::duration timeout) {
  using std::chrono::milliseconds;
  return std::clamp<clock::duration>(timeout / 4, milliseconds{10}, milliseconds{1000});
}

} // namespace baikal
