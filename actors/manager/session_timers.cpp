#include "actors/manager/session_timers.hpp"

#include <algorithm>
#include <utility>

namespace baikal {

session_timers::session_timers(clock::duration tick)
    : tick_(std::max(tick, clock::duration{std::chrono::milliseconds{1}})) {}

int64_t session_timers::slot_of(clock::time_point at) const {
  // Rounded up: a timer fires at the end of the tick it falls in, never early.
  auto since = at.time_since_epoch().count();
  auto width = tick_.count();
  return since <= 0 ? 0 : (since + width - 1) / width;
}

void session_timers::arm(clock::time_point at, caf::weak_actor_ptr session,
                         session_timer_kind kind) {
  auto slot = slot_of(at);
  std::lock_guard<std::mutex> guard{mutex_};
  slots_[slot].push_back(due_timer{std::move(session), kind});
}

std::vector<session_timers::due_timer> session_timers::take_due(clock::time_point now) {
  auto last = now.time_since_epoch().count() / tick_.count();
  std::vector<due_timer> out;
  std::lock_guard<std::mutex> guard{mutex_};
  auto end = slots_.upper_bound(last);
  for (auto i = slots_.begin(); i != end; ++i)
    for (auto& t : i->second)
      out.push_back(std::move(t));
  slots_.erase(slots_.begin(), end);
  return out;
}

size_t session_timers::armed() const {
  std::lock_guard<std::mutex> guard{mutex_};
  size_t n = 0;
  for (auto& slot : slots_)
    n += slot.second.size();
  return n;
}

} // namespace baikal
