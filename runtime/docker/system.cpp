#include "runtime/docker/system.hpp"

#include "runtime/docker/encoding.hpp"
#include "runtime/docker/json.hpp"

namespace baikal::docker {

docker_call ping() {
  docker_call c;
  c.target = "/_ping";
  return c;
}

docker_call version() {
  docker_call c;
  c.target = "/version";
  return c;
}

caf::expected<version_info> parse_version(std::string_view body) {
  auto doc = json::parse_object(body, "version");
  if (!doc)
    return doc.error();
  version_info out;
  out.version = json::string_of(*doc, "Version");
  out.api_version = json::string_of(*doc, "ApiVersion");
  out.os = json::string_of(*doc, "Os");
  out.arch = json::string_of(*doc, "Arch");
  out.kernel_version = json::string_of(*doc, "KernelVersion");
  return out;
}

docker_call events(const std::map<std::string, std::vector<std::string>>& filters,
                   const std::string& since, const std::string& until) {
  docker_call c;
  c.target = "/events";
  if (!filters.empty())
    add_query(c.target, "filters", filters_json(filters));
  if (!since.empty())
    add_query(c.target, "since", since);
  if (!until.empty())
    add_query(c.target, "until", until);
  c.long_running = true;
  return c;
}

caf::expected<docker_event> parse_event(std::string_view line) {
  auto doc = json::parse_object(line, "event");
  if (!doc)
    return doc.error();
  docker_event out;
  out.type = json::string_of(*doc, "Type");
  out.action = json::string_of(*doc, "Action");
  out.time_nano = json::int_of(*doc, "timeNano");
  if (auto actor = doc->FindMember("Actor"); actor != doc->MemberEnd()) {
    out.id = json::string_of(actor->value, "ID");
    out.attributes = json::string_map_of(actor->value, "Attributes");
  }
  if (out.id.empty())
    out.id = json::string_of(*doc, "id");
  return out;
}

} // namespace baikal::docker
