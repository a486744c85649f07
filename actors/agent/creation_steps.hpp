#pragma once

/// The blocking steps of kernel creation (kernel_creation.hpp runs them on detached actors):
/// writing a kernel's scratch directories and waiting for its runner to answer.

#include <cstdint>
#include <string>

#include "actors/agent/kernel_spec.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// What the scratch root's disk must have free for a new kernel: below it, a creation fails
/// saying the disk is full instead of making a kernel that cannot write a byte.
constexpr uint64_t min_scratch_free_bytes = uint64_t{1} << 20;

/// Blocking: the kernel's directories, the runner's service table and the cluster's SSH keys,
/// owned by the kernel's user when the agent may chown. A full disk fails with words that say
/// so ("the disk holding … is full").
caf::expected<bool> prepare_scratch(const scratch_dirs& dirs, const std::string& services,
                                    const cluster_info& cluster, const kernel_user& user);

/// Blocking: waits until the kernel's runner at `socket` answers health, or `timeout_s` passes
/// (then a timeout error with the last failure).
caf::expected<bool> wait_for_runner(const std::string& socket, double timeout_s);

} // namespace baikal
