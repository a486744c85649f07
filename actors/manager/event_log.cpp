#include "actors/manager/event_log.hpp"

#include <algorithm>

#include "runtime/clock/wall_clock.hpp"

namespace baikal {

bool selects(const event_selection& selection, const published_event& e) {
  if (!selection.session.empty() && selection.session != e.session)
    return false;
  return selection.types.empty() ||
         std::find(selection.types.begin(), selection.types.end(), e.type) != selection.types.end();
}

event_log::event_log(size_t capacity, uint64_t first_id)
    : capacity_(std::max<size_t>(capacity, 1)), next_(std::max<uint64_t>(first_id, 1)) {}

const published_event& event_log::add(std::string type, session_id session, std::string json) {
  if (kept_.size() == capacity_)
    kept_.pop_front();
  kept_.push_back(published_event{next_++, std::move(type), std::move(session), std::move(json)});
  return kept_.back();
}

event_replay event_log::since(uint64_t after, const event_selection& selection) const {
  event_replay out;
  out.last_id = last_id();
  if (after > last_id()) {
    out.gap = event_gap{0, last_id()};
    return out;
  }
  auto oldest = kept_.empty() ? next_ : kept_.front().id;
  if (after + 1 < oldest)
    out.gap = event_gap{after + 1, oldest - 1};
  // Ids are consecutive: the first event above `after` sits at a known offset.
  auto skip = after < oldest ? 0 : after - oldest + 1;
  for (auto i = kept_.begin() + static_cast<std::ptrdiff_t>(skip); i != kept_.end(); ++i)
    if (selects(selection, *i))
      out.events.push_back(*i);
  return out;
}

uint64_t event_ids_from_clock() {
  auto ms = wall_clock_ms();
  return ms > 0 ? static_cast<uint64_t>(ms) * 1000 : 1;
}

} // namespace baikal
