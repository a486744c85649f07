#pragma once

/// Which sessions of the manager front are parked (RUNNING and idle, with no actor; see
/// session.hpp) or on their way there, and what came for them meanwhile.
///
/// A session's actor asks to park (doze); the hub stops routing to it, and the actor either
/// ends (asleep: the session is parked) or moves on because an event came first (the session
/// wakes in the same actor). Whatever comes for a dozing session is held until it is known which;
/// whatever comes for a parked one is held and wakes it: the front spawns its actor again and
/// hands it everything held, in the order it came. Sessions not in the lot are live.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/message.hpp>

#include "messages/ids.hpp"
#include "messages/session_records.hpp"
#include "messages/session_types.hpp"

namespace baikal {

class parking_lot {
public:
  /// Where a session's actor is.
  enum class presence : uint8_t {
    live,   ///< its actor runs the session
    dozing, ///< its actor asked to park: what comes for the session is held until it says
    parked, ///< no actor: the next message for it wakes it
  };

  presence where(const session_id& id) const;

  /// The actor of live session `id` asked to park.
  void doze(const session_id& id);

  /// The actor of dozing session `id` ended: the session is parked. Whether something came for
  /// it meanwhile, so that it must be woken right away.
  bool fall_asleep(const session_id& id);

  /// Holds `m` for dozing or parked session `id`; whether the session must be woken for it
  /// (it was parked).
  bool hold(const session_id& id, caf::message m);

  /// Session `id` runs in an actor again (spawned again, or its dozing actor moved on): what
  /// was held for it, oldest first.
  std::vector<caf::message> wake(const session_id& id);

  /// The actor of session `id` ended abnormally: what was held for it goes with it.
  void forget(const session_id& id) { lot_.erase(id); }

  /// Sessions dozing or parked.
  size_t size() const { return lot_.size(); }

private:
  struct spot {
    presence where = presence::live;
    std::vector<caf::message> held;
  };
  std::unordered_map<session_id, spot> lot_;
};

/// What the actor of parked session `spec` starts from when it is spawned again: `status`
/// (RUNNING), every kernel started (a kernel that ends wakes the session, so a parked session's
/// kernels all run as far as the manager knows).
session_record woken_record(const scheduled_session& spec, session_status status);

} // namespace baikal
