#pragma once

/// The agent's one executor for blocking work (file I/O, runner calls, host probing): a bounded
/// number of threads, so a burst of requests cannot make the agent start a thread per call.
///
/// Two lanes, each with its own threads and queue. `runs` takes code runs (execute): each holds
/// its thread for as long as the runner takes to answer, up to a run's whole flush timeout (600
/// s in batch mode). `io` takes everything else (file transfers and listings, scratch
/// directories, the registry file, interrupts, completions, services, health checks): short
/// calls that must not wait behind long runs, or an interrupt could not reach a run that holds
/// every thread. A call that finds its lane's threads busy waits in the lane's queue; one that
/// finds the queue full too is answered `unavailable` at once.
///
/// The executor is an actor; each thread is a detached worker actor it spawns on demand (up to
/// the lane's limit) and keeps. A worker answers the caller directly (the executor delegates
/// the call to it) and then tells the executor it is free. The actor system waits for the
/// workers at shutdown, so no thread outlives it.

#include <cstdint>
#include <functional>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <caf/message.hpp>

namespace baikal {

enum class blocking_lane : uint8_t { io, runs };

std::string to_string(blocking_lane lane);

/// blocking.* in agent.toml.
struct blocking_limits {
  uint32_t io_threads = 8;
  uint32_t run_threads = 16;
  uint32_t queue_limit = 1000; ///< calls waiting for a thread, per lane
};

/// One call: `fn` runs on a worker thread, and the message it answers (a value or a
/// caf::error) is the caller's response.
struct blocking_job {
  blocking_lane lane = blocking_lane::io;
  std::function<caf::message()> fn;
};

/// Spawns an executor; `owner` names it in messages ("agent agent-1"). Stop it with an exit
/// message: calls still waiting are answered `unavailable`, and running ones finish first.
caf::actor spawn_blocking_executor(caf::actor_system& sys, blocking_limits limits,
                                   std::string owner);

} // namespace baikal

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::blocking_job)
