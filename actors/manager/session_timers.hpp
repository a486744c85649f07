#pragma once

/// The timers every session actor of a manager arms (its phase timer, the grace after a start's
/// report), kept in slots of one tick and fired by one ticker actor (session_ticker.hpp).
///
/// Each delayed_send goes through CAF's clock thread: a lock, a wake-up of that thread, and
/// its cleanup again when the actor ends. A manager arms two or three such timers per session
/// launched, nearly all of which are moved on before they are due. Here arming one is a lock
/// and an append, and the ticker wakes once a tick whatever the number of sessions.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include <caf/actor_control_block.hpp>
#include <caf/weak_intrusive_ptr.hpp>

namespace baikal {

/// Which of a session's messages a timer sends when it fires.
enum class session_timer_kind : uint8_t {
  phase,          ///< sess::phase_timeout
  started_events, ///< sess::started_events_due
};

class session_timers {
public:
  using clock = std::chrono::steady_clock;

  struct due_timer {
    caf::weak_actor_ptr session;
    session_timer_kind kind;
  };

  /// Timers fire at the first tick at or after their due time, never before it.
  explicit session_timers(clock::duration tick);

  clock::duration tick() const { return tick_; }

  /// Arms a timer of `kind` for `session`, due at `at`.
  void arm(clock::time_point at, caf::weak_actor_ptr session, session_timer_kind kind);

  /// Takes every timer due at `now`, in the order of their due times.
  std::vector<due_timer> take_due(clock::time_point now);

  /// Timers armed and not yet taken.
  size_t armed() const;

private:
  int64_t slot_of(clock::time_point at) const;

  clock::duration tick_;
  mutable std::mutex mutex_;
  std::map<int64_t, std::vector<due_timer>> slots_; ///< by the tick they fire at
};

} // namespace baikal
