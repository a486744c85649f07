#pragma once

/// create_kernels: the eight steps of the agent spec for each kernel (preparing, image check
/// and pull, creating, scratch directories, cluster config, container create and start, runner
/// health check, registration), with at most `kernel_creation_concurrency` kernels in the
/// steps at once. Several kernels of one call run concurrently; the call fails with every
/// kernel's failure when any fails.

#include <optional>

#include "actors/agent/image_ops.hpp"
#include "runtime/docker/images.hpp"

namespace baikal {

caf::result<created_kernels> create_kernels(agent_pointer self, op::create_kernels req);

/// Creates one kernel (under the creation semaphore) and calls `done` with its info or error.
void create_one_kernel(agent_pointer self, kernel_creation_config cfg, cluster_info cluster,
                       std::function<void(caf::expected<kernel_info>)> done);

/// Whether a kernel's image must be pulled first, given what the engine has (`local`, nothing
/// when the image is missing) and the config's auto-pull policy.
bool needs_pull(const image_config& image, const std::optional<docker::image_info>& local);

/// Frees a creation slot and starts the next waiting creation, if any.
void release_creation_slot(agent_pointer self);

} // namespace baikal
