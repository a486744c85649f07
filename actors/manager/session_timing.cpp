#include "actors/manager/session_timing.hpp"

namespace baikal {

namespace {

bool is_starting(session_status s) {
  return s == session_status::preparing || s == session_status::pulling ||
         s == session_status::creating;
}

} // namespace

session_clock::time_point phase_due_after(session_status status, session_clock::time_point now,
                                          session_clock::duration probe_after,
                                          session_clock::duration park_idle_after) {
  if (is_terminal(status) || status == session_status::pending)
    return {};
  return now + (status == session_status::running ? park_idle_after : probe_after);
}

phase_timer_decision decide_phase_timer(session_status status, session_clock::time_point phase_due,
                                        session_clock::time_point start_clock,
                                        session_clock::time_point now,
                                        session_clock::duration start_timeout) {
  if (phase_due == session_clock::time_point{})
    return {phase_timer_outcome::untimed};
  if (now < phase_due)
    // One microsecond past: a timer armed for the exact difference may fire a hair early.
    return {phase_timer_outcome::early, phase_due - now + std::chrono::microseconds{1}};
  if (status == session_status::running)
    return {phase_timer_outcome::park};
  if (is_starting(status) && now - start_clock > start_timeout)
    return {phase_timer_outcome::start_timed_out};
  return {phase_timer_outcome::probe};
}

} // namespace baikal
