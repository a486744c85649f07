#pragma once

/// Inter-container network plugins (the reference's NetworkPluginContext): a plugin is an actor
/// answering create/destroy for one driver ("overlay", ...), so a plugin that talks to Docker
/// answers when Docker does and never blocks its caller. The registry finds plugins by driver.

#include <map>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_interface.hpp"

namespace baikal {

/// What a plugin created: the id to attach containers to and driver options for the agents.
struct network_info {
  std::string network_id;
  std::map<std::string, std::string> options;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, network_info& x) {
  return f(caf::meta::type_name("baikal::network_info"), x.network_id, x.options);
}

namespace net {

/// Create the network of one session; `identifier` is the session id.
struct create_network {
  std::string identifier;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_network& x) {
  return f(caf::meta::type_name("baikal::net::create_network"), x.identifier);
}

struct destroy_network {
  std::string network_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, destroy_network& x) {
  return f(caf::meta::type_name("baikal::net::destroy_network"), x.network_id);
}

} // namespace net

using network_plugin_actor =
    caf::typed_actor<caf::replies_to<net::create_network>::with<network_info>,
                     caf::replies_to<net::destroy_network>::with<ack>>;

/// Plugins by driver name. A plain value: built at start-up and handed to the launcher.
class network_plugin_registry {
public:
  void add(const std::string& driver, network_plugin_actor plugin);

  /// The plugin of `driver`, or not_found naming the drivers that do exist.
  caf::expected<network_plugin_actor> find(const std::string& driver) const;

  /// The registered drivers, sorted.
  std::vector<std::string> drivers() const;

  /// Every plugin, for shutting them down.
  const std::map<std::string, network_plugin_actor>& plugins() const { return plugins_; }

private:
  std::map<std::string, network_plugin_actor> plugins_;
};

} // namespace baikal
