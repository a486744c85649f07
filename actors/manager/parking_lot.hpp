#pragma once

/// Which sessions of the manager front are parked (RUNNING and idle, with no actor; see
/// session.hpp) or on their way there, and what came for them meanwhile.
///
/// A session's actor asks to park (doze); the hub stops routing to it, and the actor either
/// ends (asleep: the session is parked) or moves on because an event came first (the session
/// wakes in the same actor). Whatever comes for a dozing session is held until it is known which;
/// whatever comes for a parked one is held and wakes it: the front reads its spec back from the
/// store (a parked session keeps only a summary in memory), spawns its actor again and hands it
/// everything held, in the order it came.

#include <functional>
#include <unordered_map>
#include <vector>

#include <caf/message.hpp>

#include "actors/manager/session_table.hpp"
#include "messages/ids.hpp"
#include "messages/session_records.hpp"
#include "messages/session_types.hpp"

namespace baikal {

/// Each session's presence is a field of its entry, so a parked session costs the lot nothing;
/// the lot keeps only what was held, for the few sessions something came for.
class parking_lot {
public:
  using presence = session_presence;

  /// The actor of live session `e` asked to park.
  void doze(session_entry& e) { e.presence = presence::dozing; }

  /// The actor of dozing session `id` ended: the session is parked. Whether something came for
  /// it meanwhile, so that it must be woken right away.
  bool fall_asleep(const session_id& id, session_entry& e);

  /// Holds `m` for session `id` if it is not live; whether the session must be woken for it
  /// (it was parked, and is not being woken already).
  bool hold(const session_id& id, session_entry& e, caf::message m);

  /// Parked session `e` is being woken: its spec is being read back. What comes meanwhile is
  /// held and wakes nothing more.
  void waking(session_entry& e) { e.presence = presence::waking; }

  /// Waking session `e` could not be woken: it is parked again, with what was held.
  void not_woken(session_entry& e) { e.presence = presence::parked; }

  /// Session `id` runs in an actor again (spawned again, or its dozing actor moved on): what
  /// was held for it, oldest first.
  std::vector<caf::message> wake(const session_id& id, session_entry& e);

  /// The actor of session `id` ended abnormally: what was held for it goes with it.
  void forget(const session_id& id, session_entry& e);

  /// Called with the session's entry once waking session `id` runs in its actor again, or with
  /// null if it could not be woken: for what needs an answer from the woken actor.
  using on_woken = std::function<void(session_entry*)>;
  void after_wake(const session_id& id, on_woken f) { waiters_[id].push_back(std::move(f)); }

  /// Who waits for session `id` to wake, oldest first (they are forgotten here).
  std::vector<on_woken> waiters(const session_id& id);

  /// Sessions something is held for.
  size_t holding() const { return held_.size(); }

private:
  std::unordered_map<session_id, std::vector<caf::message>> held_;
  std::unordered_map<session_id, std::vector<on_woken>> waiters_;
};

/// What the actor of parked session `spec` starts from when it is spawned again: `status`
/// (RUNNING), every kernel started (a kernel that ends wakes the session, so a parked session's
/// kernels all run as far as the manager knows).
session_record woken_record(const scheduled_session& spec, session_status status);

} // namespace baikal
