#pragma once

/// Engine-wide operations: ping, version and the events stream.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

docker_call ping();
docker_call version();

struct version_info {
  std::string version;     ///< "20.10.24"
  std::string api_version; ///< "1.41"
  std::string os;
  std::string arch;
  std::string kernel_version;
};

caf::expected<version_info> parse_version(std::string_view body);

/// `GET /events`: one JSON line per event, silent when idle, endless unless `until` is set.
/// Stream it in lines mode and cancel it to stop. Filter values are arrays
/// ({"type":["container"],"event":["die"]}); a bare string makes Docker answer 500.
docker_call events(const std::map<std::string, std::vector<std::string>>& filters,
                   const std::string& since = {}, const std::string& until = {});

struct docker_event {
  std::string type;   ///< "container", "network", "image", ...
  std::string action; ///< "die", "oom", "start", ...
  std::string id;
  std::map<std::string, std::string> attributes; ///< name, exitCode, labels, ...
  int64_t time_nano = 0;
};

caf::expected<docker_event> parse_event(std::string_view line);

} // namespace baikal::docker
