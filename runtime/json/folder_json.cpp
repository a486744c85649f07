#include "runtime/json/folder_json.hpp"

#include "runtime/checks/folder_checks.hpp"

namespace baikal::json {

std::string folder_json(const folder_info& folder) {
  writer w;
  w.begin_object();
  w.field("name", folder.name);
  w.end_object();
  return w.str();
}

std::string folders_json(const std::vector<folder_info>& folders) {
  writer w;
  w.begin_object();
  w.key("folders");
  w.begin_array();
  for (auto& f : folders) {
    w.begin_object();
    w.field("name", f.name);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

void mounts_field(writer& w, std::string_view key, const std::vector<mount_spec>& mounts) {
  w.key(key);
  w.begin_array();
  for (auto& m : mounts) {
    auto folder = checks::folder_of_mount_target("target", m.target);
    w.begin_object();
    w.field("folder", folder ? *folder : std::string{});
    w.field("mode", m.mode);
    w.field("target", m.target);
    w.end_object();
  }
  w.end_array();
}

} // namespace baikal::json
