#pragma once

/// The resource slots an agent offers the manager, from what its host has (gather_hwinfo) unless
/// the config says otherwise.

#include "messages/execution_types.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// "cpu" (logical cores) and "mem" (bytes) from `hw`, "cuda.device" when GPUs were found; a
/// slot missing from `hw` is left out. Entries of `configured` replace the probed ones.
resource_slots agent_capacity(const hardware_info& hw, const resource_slots& configured = {});

} // namespace baikal
