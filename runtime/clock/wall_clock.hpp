#pragma once

/// The one place Baikal reads the wall clock.
///
/// Wall time is for timestamps people read or the store keeps (created_at_ms, a status
/// change's at_ms, an agent's last heartbeat, an event's timestamp_ms): it may jump (NTP, an
/// operator setting the date, a VM resumed). Durations and deadlines (heartbeats, phase
/// timers, probes, pull and request timeouts, idle and parking timers) are measured on
/// std::chrono::steady_clock, which never jumps. A unit test keeps every other file of actors/
/// and runtime/ off the wall clock.

#include <cstdint>

namespace baikal {

/// Milliseconds since the Unix epoch, for timestamps only.
int64_t wall_clock_ms();

} // namespace baikal
