#include "runtime/network/network_plugin.hpp"

#include "messages/errors.hpp"

namespace baikal {

void network_plugin_registry::add(const std::string& driver, network_plugin_actor plugin) {
  plugins_[driver] = std::move(plugin);
}

caf::expected<network_plugin_actor> network_plugin_registry::find(const std::string& driver) const {
  auto i = plugins_.find(driver);
  if (i != plugins_.end())
    return i->second;
  // Written like the reference's message (a Python list) so operators recognise it.
  std::string available = "[";
  for (auto& name : drivers())
    available += (available.size() > 1 ? ", '" : "'") + name + "'";
  available += "]";
  return make_error(errc::not_found, "Network plugin for driver '" + driver +
                                         "' not found. Available plugins: " + available);
}

std::vector<std::string> network_plugin_registry::drivers() const {
  std::vector<std::string> out;
  for (auto& entry : plugins_)
    out.push_back(entry.first);
  return out;
}

} // namespace baikal
