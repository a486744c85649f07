#pragma once

/// A session's idle clock as plain functions of times (the front calls them with
/// steady_clock::now(), the tests with times of their own).
///
/// A RUNNING session whose `idle_timeout` is above zero ends with reason `idle-timeout` once no
/// activity came for that long. Activity is a kernel call a user makes through the API
/// (execute, interrupt, complete, the file routes, starting or stopping a service); reading
/// the logs is not. The front owns the clock rather than the session actor, because a RUNNING
/// session parks (its actor ends) while idle, which is exactly when the clock matters, and
/// because every such call passes through the front already (api::main_kernel): one timestamp
/// per session moves on each call, with no message and no store write. One idle_check message
/// per session is out at a time, armed for the deadline; when it fires and activity moved the
/// deadline on, it is armed again for the rest.

#include <chrono>
#include <string>

#include <caf/error.hpp>

namespace baikal {

using idle_clock = std::chrono::steady_clock;

/// The longest idle_timeout a session may ask for, in seconds (a year).
constexpr double max_idle_timeout_s = 365.0 * 24 * 3600;

/// invalid_argument naming `field` unless `seconds` is a number from 0 (never) to
/// max_idle_timeout_s.
caf::error check_idle_timeout(double seconds, const std::string& field = "idle_timeout");

/// `seconds` of idle_timeout as a duration; zero (never) for zero or less.
idle_clock::duration idle_limit(double seconds);

/// What the front does when a session's idle check fires.
enum class idle_outcome {
  never,   ///< the session has no idle_timeout: no check
  early,   ///< activity moved the deadline on: check again after `rearm_after`
  expired, ///< no activity for idle_timeout: end the session
};

struct idle_decision {
  idle_outcome outcome = idle_outcome::never;
  idle_clock::duration rearm_after{};
};

/// What to do when the check fires at `now` for a session with `idle_timeout_s` whose last
/// activity (or start of its clock) was at `last_activity`.
idle_decision decide_idle(double idle_timeout_s, idle_clock::time_point last_activity,
                          idle_clock::time_point now);

/// The reason an idle session ends with, in its history and its status_data:
/// "idle-timeout: no activity for 30 s".
std::string idle_reason(double idle_timeout_s);

} // namespace baikal
