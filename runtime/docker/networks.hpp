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
  std::vector<std::string> containers; ///< ids of attached containers
};

caf::expected<network_info> parse_network_info(std::string_view body);
caf::expected<std::vector<network_info>> parse_network_list(std::string_view body);

} // namespace baikal::docker
