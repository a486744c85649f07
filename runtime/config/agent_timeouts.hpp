#pragma once

/// How long the agent waits for each kind of answer, in one place. An engine that does not
/// answer within these fails the step with a timeout that names it, instead of leaving a kernel
/// half made; the figures are generous because a loaded engine is slow, not gone (the engine
/// watch tells the agent when it is gone). agent.toml's [timeouts] table sets them
/// (agent_config.hpp; defaults in deploy/agent.toml).

#include <chrono>

namespace baikal {

struct agent_timeouts {
  using seconds = std::chrono::seconds;
  /// An inspect, a list, a network create or delete: calls the engine answers from memory.
  seconds engine_call{60};
  /// A container create (the engine may still be unpacking the image's layers).
  seconds container_create{300};
  /// A container start (mounts, network endpoints, the entrypoint's exec).
  seconds container_start{120};
  /// A container remove, forced (the engine may first stop it).
  seconds container_remove{60};
  /// A kernel actor's destroy: its container's stop grace and removal.
  seconds kernel_destroy{120};
  /// An image delete: the engine removes each layer no other image holds from disk.
  seconds image_delete{300};
  /// A commit of a kernel's container into an image, and its push to a registry.
  seconds commit{1800};
  seconds push{3600};
};

} // namespace baikal
