#pragma once

/// The blocking steps of kernel creation (kernel_creation.hpp runs them on detached actors):
/// writing a kernel's scratch directories and waiting for its runner to answer.

#include <string>

#include "actors/agent/kernel_spec.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// Blocking: the kernel's directories, the runner's service table and the cluster's SSH keys,
/// owned by the kernel's user when the agent may chown.
caf::expected<bool> prepare_scratch(const scratch_dirs& dirs, const std::string& services,
                                    const cluster_info& cluster, const kernel_user& user);

/// Blocking: waits until the kernel's runner at `socket` answers health, or `timeout_s` passes
/// (then a timeout error with the last failure).
caf::expected<bool> wait_for_runner(const std::string& socket, double timeout_s);

} // namespace baikal
