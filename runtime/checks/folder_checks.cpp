#include "runtime/checks/folder_checks.hpp"

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"

namespace baikal::checks {

namespace {

constexpr std::string_view work_prefix = "/home/work/";

bool folder_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

} // namespace

caf::error check_folder_name(const std::string& field, std::string_view name) {
  bool ok = !name.empty() && name.size() <= max_folder_name_length && name.front() != '.';
  for (size_t i = 0; ok && i < name.size(); ++i)
    ok = folder_char(name[i]);
  if (ok)
    return {};
  return make_error(
      errc::invalid_argument,
      field + " must be a folder name of 1 to " + std::to_string(max_folder_name_length) +
          " letters, digits, '-', '_' or '.', not starting with '.', not \"" + shown(name) + "\"");
}

caf::error check_mount_mode(const std::string& field, std::string_view mode) {
  if (mode == "rw" || mode == "ro")
    return {};
  return make_error(errc::invalid_argument,
                    field + " must be \"rw\" or \"ro\", not \"" + shown(mode) + "\"");
}

std::string mount_target_of(const std::string& name) {
  return std::string{work_prefix} + name;
}

caf::expected<std::string> folder_of_mount_target(const std::string& field,
                                                  const std::string& target) {
  if (target.compare(0, work_prefix.size(), work_prefix) != 0)
    return make_error(errc::invalid_argument,
                      field + " must be /home/work/NAME, not \"" + shown(target) + "\"");
  auto name = target.substr(work_prefix.size());
  if (auto err = check_folder_name(field, name))
    return err;
  return name;
}

caf::error check_mount(const std::string& field, const mount_spec& m) {
  if (auto name = folder_of_mount_target(field + ".target", m.target); !name)
    return std::move(name.error());
  if (auto err = check_mount_mode(field + ".mode", m.mode))
    return err;
  if (m.source.empty() || m.source.front() != '/' || m.source.find('\0') != std::string::npos)
    return make_error(errc::invalid_argument,
                      field + ".source must be an absolute path, not \"" + shown(m.source) + "\"");
  return {};
}

} // namespace baikal::checks
