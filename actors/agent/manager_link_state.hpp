#pragma once

/// The manager link's state (manager_link.hpp describes the protocol).

#include <chrono>
#include <cstdint>
#include <deque>
#include <random>

#include "actors/agent/event_buffer.hpp"
#include "actors/agent/manager_link.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

enum class link_phase : uint8_t {
  idle,       ///< waiting for start_manager_link
  connecting, ///< asking for hwinfo, connecting or registering
  joined,     ///< registered; heartbeats running
  waiting,    ///< backing off before the next attempt
};

struct manager_link_state {
  manager_link_settings settings;
  agent_actor agent;
  std::string addr;              ///< where the agent serves, for the registration
  agent_registry_actor registry; ///< set from a successful connect until the next failure
  event_sink_actor hub;          ///< set while joined
  link_phase phase = link_phase::idle;
  uint64_t epoch = 0;           ///< bumped by every failure; stale replies and timers ignore it
  uint32_t failures = 0;        ///< failed attempts in a row (backoff exponent)
  size_t current = 0;           ///< the manager of settings.managers tried now
  bool ever_joined = false;     ///< "joined" the first time, "rejoined" afterwards
  bool warned_drop = false;     ///< one warning per outage when the buffer overflows
  size_t dropped_at_outage = 0; ///< buffer.dropped() when the outage began
  std::chrono::milliseconds heartbeat_interval{2000};
  hardware_info hwinfo;
  resource_slots capacity;
  std::string unhealthy; ///< empty: the agent can run kernels (set_link_health)
  event_buffer buffer;   ///< numbered events (numbered_event), oldest first
  std::minstd_rand rng{std::random_device{}()};
  /// This process's event stream and the number of its newest event (see numbered_event).
  uint64_t stream = std::random_device{}() * uint64_t{4294967296} + std::random_device{}();
  uint64_t last_seq = 0;
  bool numbered = false; ///< the hub takes numbered events (agent_registration)
  /// Numbered events sent to the hub and not yet confirmed, oldest first: an event is delivered
  /// once a heartbeat sent after it is answered (one connection keeps their order). The others
  /// are sent again after a reconnection; the hub drops those it had.
  std::deque<caf::message> unconfirmed;

  static inline const char* name = "baikal.manager_link";
};

using manager_link_ptr = manager_link_actor::stateful_pointer<manager_link_state>;

} // namespace baikal
