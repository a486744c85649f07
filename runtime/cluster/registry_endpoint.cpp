#include "runtime/cluster/registry_endpoint.hpp"

#include <caf/actor_system.hpp>

namespace baikal::cluster {

caf::expected<uint16_t> publish_registry(caf::actor_system& sys,
                                         const agent_registry_actor& registry,
                                         const node_settings& settings) {
  return publish(sys, registry, settings.listen, settings.tls);
}

} // namespace baikal::cluster
