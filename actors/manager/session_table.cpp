#include "actors/manager/session_table.hpp"

#include <memory>

#include "messages/errors.hpp"

namespace baikal {

caf::error no_session(const session_id& id) {
  return make_error(errc::not_found, "no session " + id);
}

const user_id& owner_of(const session_entry& e) {
  return e.spec ? e.spec->user_uuid : e.owner;
}

const session_id& id_of(const session_entry& e) {
  static const session_id none;
  return e.key ? *e.key : none;
}

void forget_spec(session_entry& e) {
  if (e.spec)
    e.owner = e.spec->user_uuid;
  e.spec.reset();
  e.parked.reset();
  e.pending_reason = std::string{};
}

void park(session_entry& e) {
  if (!e.spec)
    return;
  auto parked = std::make_unique<parked_session>();
  parked->kernels = kernels_of(e);
  parked->mounts = e.spec->mounts;
  parked->idle_timeout = e.spec->idle_timeout;
  e.owner = e.spec->user_uuid;
  e.parked = std::move(parked);
  e.spec.reset();
}

void unpark(session_entry& e, shared_spec spec) {
  e.spec = std::move(spec);
  e.parked.reset();
  e.owner = user_id{};
}

double idle_timeout_of(const session_entry& e) {
  if (e.spec)
    return e.spec->idle_timeout;
  return e.parked ? e.parked->idle_timeout : 0;
}

std::vector<kernel_place> kernels_of(const session_entry& e) {
  if (e.parked)
    return e.parked->kernels;
  std::vector<kernel_place> out;
  if (!e.spec)
    return out;
  out.reserve(e.spec->kernels.size());
  for (auto& k : e.spec->kernels)
    out.push_back(kernel_place{k.id, k.agent, k.role == cluster_role::main});
  return out;
}

std::optional<kernel_place> main_kernel_of(const session_entry& e) {
  for (auto& k : kernels_of(e))
    if (k.main)
      return k;
  return std::nullopt;
}

const std::vector<mount_spec>& mounts_of(const session_entry& e) {
  static const std::vector<mount_spec> none;
  if (e.spec)
    return e.spec->mounts;
  return e.parked ? e.parked->mounts : none;
}

void forget_ended(session_entry& e) {
  e.actor = nullptr;
  forget_spec(e);
}

session_entry& session_table::add(session_record& rec, shared_spec spec) {
  auto slot = sessions_.try_emplace(spec ? spec->id : rec.spec.id).first;
  auto& e = slot->second;
  e.key = &slot->first;
  e.spec = spec ? std::move(spec) : std::make_shared<const scheduled_session>(std::move(rec.spec));
  e.status = rec.status;
  e.created = std::chrono::steady_clock::now();
  if (is_terminal(rec.status))
    forget_spec(e);
  return e;
}

session_entry* session_table::find(const session_id& id) {
  auto i = sessions_.find(id);
  return i == sessions_.end() ? nullptr : &i->second;
}

session_entry* session_table::waiting(const session_id& id) {
  auto* e = find(id);
  return e && e->status == session_status::pending && e->actor ? e : nullptr;
}

session_entry* session_table::owned(const user_id& owner, const session_id& id) {
  auto* e = find(id);
  return e && owner_of(*e) == owner ? e : nullptr;
}

std::pair<const session_id, session_entry>* session_table::run_by(const caf::actor_addr& who) {
  for (auto& entry : sessions_)
    if (entry.second.actor && entry.second.actor.address() == who)
      return &entry;
  return nullptr;
}

} // namespace baikal
