#include "actors/manager/http/api_folder_requests.hpp"

#include <set>

#include "messages/errors.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/json/json_reader.hpp"

namespace baikal {

caf::expected<std::string> parse_folder_request(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"name"});
  std::string name;
  in.required_string("name", name);
  if (in.error())
    return in.error();
  if (auto err = checks::check_folder_name("name", name))
    return err;
  return name;
}

caf::expected<std::vector<folder_mount>> parse_mounts(const rapidjson::Value& value) {
  if (!value.IsArray())
    return make_error(errc::invalid_argument,
                      "mounts must be an array of {\"folder\": NAME, \"mode\": \"rw\"|\"ro\"}");
  if (value.Size() > checks::max_session_mounts)
    return make_error(errc::invalid_argument,
                      "mounts names " + std::to_string(value.Size()) + " folders; at most " +
                          std::to_string(checks::max_session_mounts) + " are accepted");
  std::vector<folder_mount> out;
  std::set<std::string> seen;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    auto field = "mounts[" + std::to_string(i) + "]";
    if (!value[i].IsObject())
      return make_error(errc::invalid_argument,
                        field + " must be an object {\"folder\": NAME, \"mode\": \"rw\"|\"ro\"}");
    json::object_reader in{value[i]};
    in.only({"folder", "mode"});
    folder_mount m;
    in.required_string("folder", m.folder);
    in.optional_string("mode", m.mode);
    if (in.error())
      return make_error(errc::invalid_argument, field + ": " + message_of(in.error()));
    if (auto err = checks::check_folder_name(field + ".folder", m.folder))
      return err;
    if (auto err = checks::check_mount_mode(field + ".mode", m.mode))
      return err;
    if (!seen.insert(m.folder).second)
      return make_error(errc::invalid_argument,
                        field + ".folder names " + m.folder + " a second time");
    out.push_back(std::move(m));
  }
  return out;
}

} // namespace baikal
