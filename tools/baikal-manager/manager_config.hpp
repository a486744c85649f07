#pragma once

/// baikal-manager's TOML configuration (`--config manager.toml`; deploy/manager.toml documents
/// every key). Every key is optional: with no file the manager keeps its store under ./var/,
/// serves the API on 127.0.0.1:8090 and lets agents join on 127.0.0.1:6100.

#include <string>

#include <caf/expected.hpp>

#include "actors/manager/http/api_settings.hpp"
#include "actors/manager/manager.hpp"
#include "runtime/cluster/registry_endpoint.hpp"

namespace baikal {

struct manager_config {
  manager_settings manager;      ///< [manager] and [[images]]
  api_settings api;              ///< [api] and [[users]]
  cluster::node_settings agents; ///< [agents] listen and [tls]
  /// [network] docker-socket: a swarm manager engine's socket; non-empty registers the
  /// `overlay` network plugin for multi-node sessions on it.
  std::string network_docker_socket;
  std::string config_path; ///< empty for the embedded defaults
  /// Whether [storage] root was given; when not, settle_storage_root puts the folders beside
  /// the store.
  bool storage_root_set = false;
};

/// The embedded defaults.
manager_config default_manager_config();

/// Settles [storage] root once the store path is final (after the command line): when not
/// given, `storage` beside the store's file (var/storage by default); made absolute, since
/// agents compare mount sources with their own root. An empty root stays empty (no folders).
void settle_storage_root(manager_config& cfg);

/// Reads `path`; invalid_argument naming the key for a wrong value, the file for bad TOML.
caf::expected<manager_config> load_manager_config(const std::string& path);

/// Parses TOML text; `source` names it in error messages.
caf::expected<manager_config> parse_manager_config(const std::string& text,
                                                   const std::string& source);

} // namespace baikal
