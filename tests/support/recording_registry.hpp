#pragma once

/// A test double of the manager's agent registry: records every registration and heartbeat
/// (thread-safe, read by the test's main thread), answers registrations with a recording event
/// sink and a short heartbeat interval, and says `known = false` to heartbeats of agents that
/// did not register with this instance (as a restarted manager does).
/// Send exit to the registry and to `events_sink` before the actor system goes away.

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "event_recorder.hpp"
#include "messages/manager_interface.hpp"

namespace baikal::test {

struct registry_log {
  std::mutex mutex;
  std::vector<op::register_agent> registrations;
  std::vector<op::agent_heartbeat> heartbeats;
  std::set<agent_id> known; ///< registered with this instance; heartbeats of others: known=false

  /// Forgets every agent, as a restarted manager would.
  void forget_all() {
    std::lock_guard<std::mutex> guard{mutex};
    known.clear();
  }

  size_t registration_count() {
    std::lock_guard<std::mutex> guard{mutex};
    return registrations.size();
  }
  size_t heartbeat_count() {
    std::lock_guard<std::mutex> guard{mutex};
    return heartbeats.size();
  }
  op::register_agent last_registration() {
    std::lock_guard<std::mutex> guard{mutex};
    return registrations.empty() ? op::register_agent{} : registrations.back();
  }
};

struct recording_registry {
  agent_registry_actor actor;
  event_sink_actor events_sink;
  std::shared_ptr<registry_log> log = std::make_shared<registry_log>();
  std::shared_ptr<recorded_events> events = std::make_shared<recorded_events>();
};

inline recording_registry spawn_recording_registry(caf::actor_system& sys,
                                                   int64_t heartbeat_interval_ms = 100) {
  recording_registry out;
  out.events_sink = sys.spawn(record_events, out.events);
  auto log = out.log;
  auto sink = out.events_sink;
  out.actor =
      sys.spawn([log, sink, heartbeat_interval_ms]() -> agent_registry_actor::behavior_type {
        return {
            [=](op::register_agent& x) {
              std::lock_guard<std::mutex> guard{log->mutex};
              log->known.insert(x.id);
              log->registrations.push_back(std::move(x));
              return agent_registration{sink, heartbeat_interval_ms};
            },
            [=](op::get_registration_challenge&) {
              return registration_challenge{"challenge-of-the-recording-registry"};
            },
            [=](op::agent_heartbeat& x) {
              std::lock_guard<std::mutex> guard{log->mutex};
              bool is_known = log->known.count(x.id) > 0;
              log->heartbeats.push_back(std::move(x));
              return heartbeat_reply{is_known};
            },
        };
      });
  return out;
}

} // namespace baikal::test
