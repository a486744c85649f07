#pragma once

/// Network operations of the Docker Engine API: request builders and response parsers.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

struct network_spec {
  std::string name;
  std::string driver = "bridge";
  std::map<std::string, std::string> labels;
  /// Driver options, e.g. com.docker.network.bridge.enable_icc.
  std::map<std::string, std::string> options;
  bool attachable = false;
  bool internal = false;
};

/// Always sends CheckDuplicate:true: without it a second network of the same name is created
/// and every later call by name fails as ambiguous.
std::string network_create_body(const network_spec& spec);
docker_call network_create(const network_spec& spec);
docker_call network_inspect(const std::string& name);

/// Deleting a network a running container uses answers 403 (permission_denied).
docker_call network_delete(const std::string& name);

/// `GET /networks?filters=...`; note that the "name" filter matches substrings.
docker_call network_list(const std::map<std::string, std::vector<std::string>>& filters);

struct network_info {
  std::string id;
  std::string name;
  std::string driver;
  bool attachable = false;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> options; ///< driver options
  std::vector<std::string> containers;        ///< ids of attached containers
  std::string gateway;                        ///< the first IPAM gateway; empty if none
};

caf::expected<network_info> parse_network_info(std::string_view body);

/// The host's bridge device of a bridge network: the com.docker.network.bridge.name option,
/// else "br-" and the id's first 12 characters as the engine names it. Empty for other drivers.
std::string bridge_device_of(const network_info& info);

/// Whether the engine keeps the containers of a bridge network from reaching each other
/// (com.docker.network.bridge.enable_icc is "false").
bool isolates_containers(const network_info& info);
caf::expected<std::vector<network_info>> parse_network_list(std::string_view body);

} // namespace baikal::docker
