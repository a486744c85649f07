#pragma once

/// One `[[warm-pool]]` table of agent.toml: containers of `image` the agent keeps created and
/// started ahead, for sessions whose kernels fit them (actors/agent/warm_pool.hpp).

#include <cstdint>
#include <string>

namespace baikal {

struct warm_pool_setting {
  std::string image; ///< the canonical reference sessions name, "registry/project/name:tag"
  uint32_t size = 0; ///< warm containers kept ready (1 to 64)
};

} // namespace baikal
