#pragma once

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "actors/agent/agent.hpp"
#include "actors/agent/port_pool.hpp"
#include "messages/kernel_interface.hpp"

namespace baikal {

/// What the agent knows of one of its kernels.
struct kernel_entry {
  kernel_actor handle;
  kernel_info info;
  cluster_info cluster; ///< kept for restart_kernel
};

/// A running image pull job.
struct pull_entry {
  std::string job_id;
  docker_listener_actor handle;
};

struct agent_state {
  agent_settings settings;
  docker_actor docker;
  event_sink_actor events;
  manager_link_actor link; ///< told of scaling group changes; invalid when events go elsewhere
  port_pool ports{30000, 31000};
  std::map<kernel_id, kernel_entry> kernels;
  /// Image pull jobs by image name; a second request for an image joins its job.
  std::map<std::string, pull_entry> pulls;
  uint64_t pulls_started = 0;
  /// Kernels between KernelPreparingEvent and registration.
  std::set<kernel_id> creating;
  /// The kernel-creation-concurrency semaphore: creations running, and those waiting.
  uint32_t creations_running = 0;
  std::deque<std::function<void()>> creations_waiting;
  /// The registry file: a write running, and a change since it started.
  bool registry_writing = false;
  bool registry_dirty = false;
  /// Bridge devices of kernel networks that this agent's network namespace does not show (so
  /// it cannot fence them); each is warned about once.
  std::set<std::string> unseen_devices;

  static inline const char* name = "baikal.agent";
};

/// Sends `event` to the agent's event sink, if it has one.
template <class Self, class Event> void emit(Self* self, Event event) {
  if (self->state.events)
    self->send(self->state.events, std::move(event));
}

/// The error for an operation on a kernel this agent does not have (the spec's KeyError).
caf::error unknown_kernel(const agent_state& st, const kernel_id& id);

} // namespace baikal
