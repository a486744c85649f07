#pragma once

/// create_kernels: the eight steps of the agent spec for each kernel (preparing, image check
/// and pull, creating, scratch directories, cluster config, container create and start, runner
/// health check, registration), with at most `kernel_creation_concurrency` kernels in the
/// steps at once. Several kernels of one call run concurrently; the call fails with every
/// kernel's failure when any fails. Each distinct image of a call is inspected once, before
/// its kernels take their slots (image_check.hpp).

#include <memory>

#include "actors/agent/image_check.hpp"

namespace baikal {

caf::result<created_kernels> create_kernels(agent_pointer self, op::create_kernels req);

/// Creates one kernel (under the creation semaphore) and calls `done` with its info or error.
/// `image` is the check of its image shared with other kernels of the same call; a new one
/// when none is given. A kernel that fits a warm container (warm_pool.hpp) is handed one
/// instead, unless `may_take_warm` is false.
void create_one_kernel(agent_pointer self, kernel_creation_config cfg, cluster_info cluster,
                       std::function<void(caf::expected<kernel_info>)> done,
                       std::shared_ptr<image_check> image = nullptr, bool may_take_warm = true);

/// A kernel's container runs and its runner answers: the agent serves it (its kernel actor),
/// reports it started and records it in the registry file. Answers its info.
kernel_info serve_created_kernel(agent_pointer self, const kernel_creation_config& cfg,
                                 const cluster_info& cluster, const std::string& container_id,
                                 std::vector<service_port> services);

/// Frees a creation slot and starts the next waiting creation, if any.
void release_creation_slot(agent_pointer self);

} // namespace baikal
