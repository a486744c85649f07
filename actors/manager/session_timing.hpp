#pragma once

/// A session's phase timer as plain functions of times (session.cpp calls them with
/// steady_clock::now(), the tests with times of their own).
///
/// Every event of the current phase moves the phase's due time on; when the timer fires and
/// the due time has passed, a RUNNING session parks (idle for park_idle_after), a starting one
/// that was scheduled more than session_start_timeout ago fails, and any other probes the
/// agents. Every time here is on the monotonic clock: a jump of the wall clock (NTP, an
/// operator's `date -s`) neither times a phase out early nor holds it open.

#include <chrono>

#include "messages/status_types.hpp"

namespace baikal {

using session_clock = std::chrono::steady_clock;

/// What the session does when its phase timer fires.
enum class phase_timer_outcome {
  untimed,         ///< no phase is timed (PENDING, ended): nothing
  early,           ///< an event moved the due time on: arm the timer again
  park,            ///< RUNNING and idle since the due time was set
  start_timed_out, ///< still pulling or creating after the start timeout
  probe,           ///< ask the agents what became of the phase
};

struct phase_timer_decision {
  phase_timer_outcome outcome = phase_timer_outcome::untimed;
  session_clock::duration rearm_after{}; ///< for `early`
};

/// When the phase of `status` is due after an event at `now`: `park_idle_after` from now when
/// RUNNING, `probe_after` for a starting or ending phase; time_point{} when untimed.
session_clock::time_point phase_due_after(session_status status, session_clock::time_point now,
                                          session_clock::duration probe_after,
                                          session_clock::duration park_idle_after);

/// What to do when the timer fires at `now`, with the phase due at `phase_due` and the start
/// counted from `start_clock`.
phase_timer_decision decide_phase_timer(session_status status, session_clock::time_point phase_due,
                                        session_clock::time_point start_clock,
                                        session_clock::time_point now,
                                        session_clock::duration start_timeout);

} // namespace baikal
