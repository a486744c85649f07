#pragma once

/// The kernel actor: one per running kernel, owner of its container and scratch directory.
/// Code, completions and services go to the kernel's runner over its Unix socket (each call on
/// a short-lived detached worker, so a long run never blocks an interrupt); container work goes
/// through the Docker actor. On destroy it removes the container and the scratch directory,
/// reports KernelTerminatedEvent (unless suppressed) and quits.

#include <caf/fwd.hpp>

#include "actors/agent/kernel_spec.hpp"
#include "messages/agent_interface.hpp"
#include "messages/docker_interface.hpp"
#include "messages/kernel_interface.hpp"
#include "runtime/checks/agent_op_checks.hpp"

namespace baikal {

/// What a kernel actor starts with.
struct kernel_setup {
  kernel_info info;
  scratch_dirs dirs;
  docker_actor docker;
  event_sink_actor events;
  std::string base_commit_path;      ///< where commits put their lock files and exports
  checks::op_limits input_limits;    ///< see agent_settings
  uint32_t max_concurrent_runs = 16; ///< see agent_settings
};

kernel_actor spawn_kernel(caf::actor_system& sys, kernel_setup setup);

/// Blocking: removes a kernel's scratch directory tree (never following links out of it).
void remove_scratch(const scratch_dirs& dirs);

} // namespace baikal
