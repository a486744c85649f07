#pragma once

/// The kernel actor: one per running kernel, owner of its container and scratch directory.
/// Code, completions and services go to the kernel's runner over its Unix socket (each call on
/// the agent's blocking executor, so a long run never blocks an interrupt); container work goes
/// through the Docker actor.
///
/// Phases: serving, then destroying from the first destroy_kernel (or an exec timeout) on.
/// While destroying it takes no new work: another destroy_kernel answers at once (a restart's
/// destroy answers conflict: the container it would replace is going away), every other
/// request answers unavailable. The destroy removes the container and the scratch directory,
/// reports KernelTerminatedEvent (unless suppressed) and quits; requests still running then
/// are answered by their guarded promises. A destroy whose container removal fails goes back to
/// serving.
///
/// A handler that throws stops this kernel actor alone (stop_alone.hpp); the agent monitors it
/// and serves the kernel again from its container (kernel_supervision.hpp).

#include <functional>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/kernel/kernel_paths.hpp"
#include "messages/agent_interface.hpp"
#include "messages/docker_interface.hpp"
#include "messages/kernel_interface.hpp"
#include "runtime/checks/agent_op_checks.hpp"
#include "runtime/config/agent_timeouts.hpp"

namespace baikal {

/// Tests only: called in a kernel actor with each execute before it runs; what it throws fails
/// that kernel actor as a bug in a handler would. No setting, flag or message sets it.
using execute_probe = std::function<void(const op::execute&)>;

/// What a kernel actor starts with.
struct kernel_setup {
  kernel_info info;
  scratch_dirs dirs;
  docker_actor docker;
  event_sink_actor events;
  std::string base_commit_path;      ///< where commits put their lock files and exports
  caf::actor blocking;               ///< the agent's blocking executor
  execute_probe before_execute;      ///< tests only
  checks::op_limits input_limits;    ///< see agent_settings
  uint32_t max_concurrent_runs = 16; ///< see agent_settings
  /// Told when the kernel ends itself (kernel_destroys_itself); may be invalid.
  caf::actor agent;
  agent_timeouts timeouts; ///< see agent_settings
};

kernel_actor spawn_kernel(caf::actor_system& sys, kernel_setup setup);

} // namespace baikal
