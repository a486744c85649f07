#pragma once

/// What the agent does with its warm pools (warm_pool.hpp): filling them in creation slots no
/// kernel waits for, handing a container to a kernel that fits, and noticing warm containers
/// that stopped.

#include <functional>
#include <memory>

#include "actors/agent/image_check.hpp"
#include "actors/agent/kernel_recovery.hpp"
#include "actors/agent/warm_pool.hpp"

namespace baikal {

/// Starts a container for each place short in the pools, while creation slots are free and
/// no kernel waits for one; pools that failed lately wait for their retry (a warm_pool_tick).
void refill_warm_pools(agent_pointer self);

/// Hands kernel `cfg` a warm container when one fits, calling `done` as a creation would;
/// false (and nothing done) when none fits. A hand-over that fails removes the container and
/// creates the kernel as ever.
bool hand_over_warm_kernel(agent_pointer self, kernel_creation_config& cfg, cluster_info& cluster,
                           std::function<void(caf::expected<kernel_info>)>& done,
                           std::shared_ptr<image_check>& image);

/// A container event whose kernel-id label is a warm one: a container that stopped in its
/// pool leaves it and is removed; for a handed-over one, the kernel that holds it (nothing
/// when none does).
std::optional<kernel_id> on_warm_container_event(agent_pointer self, const std::string& label,
                                                 const std::string& container);

/// After the engine listed the agent's containers (a reconciliation): the warm containers of
/// `checked` (label to container id: those ready when the list was asked for) that still wait
/// in their pools and are not running any more (an engine restarted, a kill no event told of)
/// leave their pools and are removed, so that no kernel is ever handed a dead one.
void check_warm_containers(agent_pointer self, const std::map<std::string, std::string>& checked,
                           const std::vector<labelled_container>& listed);

/// Removes every ready warm container (the agent stops and destroys its kernels); `done` is
/// called once the engine answered for each.
void remove_warm_containers(agent_pointer self, std::function<void()> done);

} // namespace baikal
