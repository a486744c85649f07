#pragma once

/// The registry of inter-container network plugins (messages/network_plugin_interface.hpp):
/// the launcher finds a session's plugin by driver.

#include <map>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/network_plugin_interface.hpp"

namespace baikal {

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
