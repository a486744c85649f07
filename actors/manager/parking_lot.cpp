#include "actors/manager/parking_lot.hpp"

#include <utility>

namespace baikal {

bool parking_lot::fall_asleep(const session_id& id, session_entry& e) {
  if (e.presence != presence::dozing)
    return false;
  e.presence = presence::parked;
  return held_.count(id) != 0;
}

bool parking_lot::hold(const session_id& id, session_entry& e, caf::message m) {
  if (e.presence == presence::live)
    return false;
  held_[id].push_back(std::move(m));
  return e.presence == presence::parked;
}

std::vector<caf::message> parking_lot::wake(const session_id& id, session_entry& e) {
  e.presence = presence::live;
  auto i = held_.find(id);
  if (i == held_.end())
    return {};
  auto held = std::move(i->second);
  held_.erase(i);
  return held;
}

void parking_lot::forget(const session_id& id, session_entry& e) {
  e.presence = presence::live;
  held_.erase(id);
}

std::vector<parking_lot::on_woken> parking_lot::waiters(const session_id& id) {
  auto i = waiters_.find(id);
  if (i == waiters_.end())
    return {};
  auto out = std::move(i->second);
  waiters_.erase(i);
  return out;
}

session_record woken_record(const scheduled_session& spec, session_status status) {
  session_record rec;
  rec.status = status;
  for (auto& k : spec.kernels) {
    kernel_record kr;
    kr.id = k.id;
    kr.status = kernel_status::running;
    rec.kernels.push_back(std::move(kr));
  }
  return rec;
}

} // namespace baikal
