#pragma once

/// Agent operations over the whole life of kernels: restart, batch execution, registry sync
/// with the manager, and the agent's own shutdown.

#include "actors/agent/image_ops.hpp"

namespace baikal {

/// Destroys the kernel (reason RESTARTING, at most `restart_destroy_timeout` s; past that the
/// kernel is reported RESTART_TIMEOUT and the call times out) and creates it again with the
/// updated config.
caf::result<kernel_info> restart_kernel(agent_pointer self, op::restart_kernel x);

/// Starts a batch run in the background; its events report how it ends.
caf::result<ack> trigger_batch_execution(agent_pointer self, const op::trigger_batch_execution& x);

/// Kernels the manager has but this agent does not: KernelTerminatedEvent ALREADY_TERMINATED.
/// Kernels this agent has but the manager does not: destroyed with NOT_FOUND_IN_MANAGER.
caf::result<ack> sync_kernel_registry(agent_pointer self, const op::sync_kernel_registry& x);

/// Persists the kernel registry, destroys every kernel on SIGTERM (waiting for them), reports
/// AgentTerminatedEvent and quits.
caf::result<ack> shutdown_agent(agent_pointer self, const op::shutdown& x);

/// The registry file's text (registry_file.hpp) for the kernels the agent serves now.
std::string registry_file_text(const agent_state& st);

/// Removes the scratch directory of kernel (or warm container) `name` off the agent's thread,
/// then calls `then`, if given, whether it could or not.
void remove_scratch_later(agent_pointer self, const std::string& name,
                          std::function<void()> then = {});

/// Writes the registry file after a change, off the agent's thread. Changes that arrive while
/// a write runs are coalesced into one more write, so a burst of creations costs two writes.
void persist_registry(agent_pointer self);

} // namespace baikal
