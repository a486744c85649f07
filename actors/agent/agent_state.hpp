#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>

#include "actors/agent/agent.hpp"
#include "actors/agent/ended_kernel_reasons.hpp"
#include "actors/agent/port_pool.hpp"
#include "actors/agent/warm_pool.hpp"
#include "messages/engine_health.hpp"
#include "messages/kernel_interface.hpp"

namespace baikal {

/// The agent's own interface: what the manager calls, plus what its engine watch tells it
/// (engine_watch.hpp), its own timer for comparing kernels with containers, and its kernels
/// ending themselves.
using agent_self_actor =
    agent_actor::extend<caf::reacts_to<engine_lost>, caf::reacts_to<engine_answers>,
                        caf::reacts_to<kernel_container_event>,
                        caf::reacts_to<reconcile_kernels_tick>,
                        caf::reacts_to<kernel_destroys_itself>, caf::reacts_to<warm_pool_tick>>;

/// What the agent knows of one of its kernels.
struct kernel_entry {
  kernel_actor handle; ///< invalid while the kernel is being recovered
  kernel_info info;
  cluster_info cluster; ///< kept for restart_kernel
  /// When its actor failed, the recent times only (kernel_supervision.hpp).
  std::vector<std::chrono::steady_clock::time_point> failures;
  bool recovering = false;  ///< its actor failed; the container is being checked
  std::string last_failure; ///< why its actor last failed, for check_running
  /// Its container stopped or went, and its end was reported: it is only being removed now, and
  /// no probe may call it running.
  bool lost = false;
};

/// serving, then stopping from op::shutdown on: new work is refused with unavailable.
enum class agent_phase { serving, stopping };

/// A running image pull job.
struct pull_entry {
  std::string job_id;
  docker_listener_actor handle;
};

struct agent_state {
  agent_settings settings;
  agent_phase phase = agent_phase::serving;
  docker_actor docker;
  caf::actor blocking; ///< the blocking executor (blocking_executor.hpp), linked
  event_sink_actor events;
  manager_link_actor link; ///< told of scaling group changes; invalid when events go elsewhere
  port_pool ports{30000, 31000};
  std::map<kernel_id, kernel_entry> kernels;
  /// Image pull jobs by image name; a second request for an image joins its job.
  std::map<std::string, pull_entry> pulls;
  uint64_t pulls_started = 0;
  /// Kernels between KernelPreparingEvent and registration.
  std::set<kernel_id> creating;
  /// Kernels the agent asked to destroy, until their actor ends (or the destroy fails): their
  /// containers going is no news (engine_outage.hpp).
  std::set<kernel_id> destroying;
  /// Why the kernels that ended themselves lately ended (the last few hundred).
  ended_kernel_reasons ended_kernels;
  /// The kernel-creation-concurrency semaphore: creations running, and those waiting.
  uint32_t creations_running = 0;
  std::deque<std::function<void()>> creations_waiting;
  /// The registry file: a write running, and a change since it started.
  bool registry_writing = false;
  bool registry_dirty = false;
  /// Bridge devices of kernel networks that this agent's network namespace does not show (so
  /// it cannot fence them); each is warned about once.
  std::set<std::string> unseen_devices;
  /// The id of the kernel network the last preparation found: containers join it by id, so
  /// that a second network of the same name (one that could not be removed because kernels use
  /// it) never makes a container create ambiguous.
  std::string kernel_network_id;
  /// Empty while the Docker engine answers; else why it does not (engine_watch.hpp). The agent
  /// then answers engine work with `unavailable` and its heartbeats say it is unhealthy.
  std::string engine_problem;
  std::chrono::steady_clock::time_point engine_lost_at;
  uint64_t engine_outages = 0; ///< engine_lost messages so far
  /// Destroys that failed while the engine was away (kernel, and the reason it was asked
  /// with), and local networks likewise: done once the engine answers again.
  std::map<kernel_id, std::string> destroys_owed;
  std::set<std::string> networks_owed;
  /// Kernels found lost and reported, whose containers wait to be removed, and the removals
  /// running (a few at a time: engine_outage.cpp).
  std::deque<kernel_id> cleanups_waiting;
  uint32_t cleanups_running = 0;
  /// The warm pools ([[warm-pool]]).
  warm_pool warm;
  /// The labels of warm containers being handed to a kernel right now (reconciliation leaves
  /// them alone), and whether the container stopped meanwhile.
  std::map<std::string, bool> warm_handing_over;
  /// One comparison of kernels with containers runs at a time (engine_outage.hpp); another
  /// asked for meanwhile runs after it.
  bool reconciling = false;
  bool reconcile_again = false;
  uint64_t reconcile_epoch = 0;

  agent_state() = default;
  agent_state(const agent_state&) = delete;
  agent_state& operator=(const agent_state&) = delete;
  /// Runs when the agent ends, for whatever reason: its kernel actors, pull jobs and executor
  /// end with it (the containers keep running; a new agent recovers them). They are monitored,
  /// not linked, so that one of them failing does not end the agent; this is the other way.
  ~agent_state();

  static inline const char* name = "baikal.agent";
};

/// Sends `event` to the agent's event sink, if it has one.
template <class Self, class Event> void emit(Self* self, Event event) {
  if (self->state.events)
    self->send(self->state.events, std::move(event));
}

/// The error for an operation on a kernel this agent does not have (the spec's KeyError).
caf::error unknown_kernel(const agent_state& st, const kernel_id& id);

/// unavailable while the agent is stopping (op::shutdown), none while it serves.
caf::error refuse_when_stopping(const agent_state& st);

} // namespace baikal
