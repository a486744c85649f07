#pragma once

/// The interface of an inter-container network plugin (the reference's NetworkPluginContext):
/// a plugin is an actor answering create/destroy for one driver ("overlay", ...), so a plugin
/// that talks to Docker answers when Docker does and never blocks its caller.

#include <map>
#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/ack.hpp"
#include "messages/inspect.hpp"

namespace baikal {

/// What a plugin created: the id to attach containers to and driver options for the agents.
struct network_info {
  std::string network_id;
  std::map<std::string, std::string> options;
};
BAIKAL_INSPECT("", network_info, x.network_id, x.options)

namespace net {

/// Create the network of one session; `identifier` is the session id.
struct create_network {
  std::string identifier;
};
BAIKAL_INSPECT("net::", create_network, x.identifier)

struct destroy_network {
  std::string network_id;
};
BAIKAL_INSPECT("net::", destroy_network, x.network_id)

} // namespace net

using network_plugin_actor =
    caf::typed_actor<caf::replies_to<net::create_network>::with<network_info>,
                     caf::replies_to<net::destroy_network>::with<ack>>;

} // namespace baikal
