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

void forget_spec(session_entry& e) {
  e.owner = e.spec->user_uuid;
  e.spec.reset();
  e.pending_reason = std::string{};
}

void forget_ended(session_entry& e) {
  e.actor = nullptr;
  forget_spec(e);
}

session_entry& session_table::add(session_record& rec) {
  auto& e = sessions_[rec.spec.id];
  e.spec = std::make_shared<const scheduled_session>(std::move(rec.spec));
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
