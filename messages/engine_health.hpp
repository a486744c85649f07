#pragma once

/// What an agent's engine watch (actors/agent/engine_watch.hpp) tells the agent about its
/// Docker engine: it went away, it answers again, a kernel's container stopped. These stay on
/// the agent node; the manager learns the engine's state from the heartbeat's `unhealthy`.

#include <cstdint>
#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/ids.hpp"
#include "messages/inspect.hpp"

namespace baikal {

/// The engine stopped answering (its event stream ended, a ping failed): `problem` says so in
/// words an operator acts on.
struct engine_lost {
  std::string problem;
};

BAIKAL_INSPECT("", engine_lost, x.problem)

/// The engine answers (again): the agent compares its kernels with the engine's containers.
struct engine_answers {
  uint64_t outage = 0; ///< how many outages the watch has seen; 0 before the first
};

BAIKAL_INSPECT("", engine_answers, x.outage)

/// A container of this agent's kernels stopped or went (die, oom, destroy events).
struct kernel_container_event {
  std::string action;
  std::string container;
  kernel_id kernel;
};

BAIKAL_INSPECT("", kernel_container_event, x.action, x.container, x.kernel)

/// The agent's own timer: compare kernels and containers again (a comparison that failed, or
/// events that came while one ran).
struct reconcile_kernels_tick {
  uint64_t epoch = 0;
};

BAIKAL_INSPECT("", reconcile_kernels_tick, x.epoch)

/// A kernel actor ends its kernel on its own (an execution past its timeout): the container it
/// removes is no news, and the kernel's own reason is the one its session ends with.
struct kernel_destroys_itself {
  kernel_id kernel;
  std::string reason; ///< the lifecycle reason its kernel_terminated event carries
};

BAIKAL_INSPECT("", kernel_destroys_itself, x.kernel, x.reason)

/// Where an engine watch reports: the agent.
using engine_observer_actor =
    caf::typed_actor<caf::reacts_to<engine_lost>, caf::reacts_to<engine_answers>,
                     caf::reacts_to<kernel_container_event>>;

} // namespace baikal
