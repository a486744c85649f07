#pragma once

/// A bench configuration of the agent double (actors/agent_double): answers what the launcher
/// asks (check_and_pull, create_kernels, create_local_network, assign_port, destroys) at once,
/// with no container behind it, and notes when each create_kernels arrived. Everything else
/// answers an error. It records only what the launcher benchmark reads: the arrival log.

#include <mutex>
#include <vector>

#include <caf/actor_system.hpp>

#include "messages/agent_interface.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

/// When create_kernels calls arrived and how many kernels they carried, across all agents.
class arrival_log {
public:
  void add(size_t kernels) {
    auto now = bench_clock::now();
    std::lock_guard<std::mutex> guard{mutex_};
    times_.push_back(now);
    kernels_ += kernels;
  }
  std::vector<bench_clock::time_point> times() {
    std::lock_guard<std::mutex> guard{mutex_};
    return times_;
  }
  size_t kernels() {
    std::lock_guard<std::mutex> guard{mutex_};
    return kernels_;
  }
  void reserve(size_t n) {
    std::lock_guard<std::mutex> guard{mutex_};
    times_.reserve(n);
  }

private:
  std::mutex mutex_;
  std::vector<bench_clock::time_point> times_;
  size_t kernels_ = 0;
};

/// An instant agent named `id` that logs create_kernels arrivals into `log`.
agent_actor spawn_instant_agent(caf::actor_system& sys, agent_id id,
                                std::shared_ptr<arrival_log> log);

} // namespace baikal::bench
