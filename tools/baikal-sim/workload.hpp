#pragma once

/// The workload side of the simulation: a driver that sends create_session requests (all at
/// once or at a rate), an event recorder subscribed to the manager's events that notes when
/// each session's kernels started, and the heartbeats of the agents that are not silent.
/// What they record goes into a `launch_log` the main thread reads.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "messages/manager_interface.hpp"

namespace baikal::sim {

using sim_clock = std::chrono::steady_clock;

/// What became of each create_session request (by its index) and when its kernels started.
struct launch_log {
  struct started_kernels {
    uint32_t count = 0;
    sim_clock::time_point last;
  };

  std::mutex mtx;
  std::vector<sim_clock::time_point> sent;
  std::vector<session_id> ids;       ///< empty until answered or when refused
  std::vector<std::string> refusals; ///< create_session errors, by index
  size_t answered = 0;
  std::unordered_map<session_id, started_kernels> started;
  /// Sessions that had a kernel being created on one of the watched agents (the failing ones),
  /// any attempt counted: how often the manager placed sessions on agents that fail them.
  std::unordered_set<session_id> placed_on_watched;

  /// Sized up front, so that the memory measured per session is as little the harness's as can be.
  explicit launch_log(size_t sessions) : sent(sessions), ids(sessions), refusals(sessions) {
    started.reserve(sessions);
  }

  template <class F> auto with(F f) {
    std::lock_guard<std::mutex> guard{mtx};
    return f(*this);
  }
};

using launch_log_ptr = std::shared_ptr<launch_log>;

struct workload_plan {
  size_t sessions = 0;
  double multi_kernel_share = 0;
  uint32_t cluster_size = 3;
  double arrival_rate = 0; ///< 0: all at once
  std::string owner = "sim";
  std::string image = "cr.backend.ai/stable/python:3.9";
};

/// Session i of the plan: multi-kernel for an even spread of `multi_kernel_share` of them.
session_request request_for(const workload_plan& plan, size_t i);

/// An event sink that records kernel_started events, and the sessions whose kernels were
/// being created on one of `watched`, into `log`; subscribe it to the manager.
event_sink_actor spawn_event_recorder(caf::actor_system& sys, launch_log_ptr log,
                                      std::unordered_set<agent_id> watched = {});

/// Sends the plan's create_session requests to `front`; exits when every one is answered.
caf::actor spawn_driver(caf::actor_system& sys, manager_actor front, workload_plan plan,
                        launch_log_ptr log);

/// Beats for `agents` (with `capacity`) every `interval` until it is told to exit.
caf::actor spawn_heartbeats(caf::actor_system& sys, agent_registry_actor registry,
                            std::vector<agent_id> agents, resource_slots capacity,
                            std::chrono::milliseconds interval);

} // namespace baikal::sim
