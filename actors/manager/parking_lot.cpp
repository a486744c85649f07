#include "actors/manager/parking_lot.hpp"

#include <utility>

namespace baikal {

parking_lot::presence parking_lot::where(const session_id& id) const {
  auto i = lot_.find(id);
  return i == lot_.end() ? presence::live : i->second.where;
}

void parking_lot::doze(const session_id& id) {
  lot_[id].where = presence::dozing;
}

bool parking_lot::fall_asleep(const session_id& id) {
  auto i = lot_.find(id);
  if (i == lot_.end())
    return false;
  i->second.where = presence::parked;
  return !i->second.held.empty();
}

bool parking_lot::hold(const session_id& id, caf::message m) {
  auto i = lot_.find(id);
  if (i == lot_.end())
    return false;
  i->second.held.push_back(std::move(m));
  return i->second.where == presence::parked;
}

std::vector<caf::message> parking_lot::wake(const session_id& id) {
  auto i = lot_.find(id);
  if (i == lot_.end())
    return {};
  auto held = std::move(i->second.held);
  lot_.erase(i);
  return held;
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
