#include "runtime/paths/storage_folders.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/folder_checks.hpp"

namespace baikal {

namespace fs = std::filesystem;

namespace {

caf::error storage_error(const std::string& what, const std::string& where,
                         const std::error_code& ec) {
  return make_error(errc::runtime_error, "cannot " + what + " " + where + ": " + ec.message());
}

/// Owners come from the manager's own users; a uuid that could name another path is refused
/// rather than joined into one.
bool plain_owner(const std::string& owner) {
  return !checks::check_name("owner", owner, 128);
}

} // namespace

std::string folder_host_path(const std::string& root, const std::string& owner,
                             const std::string& name) {
  return root + "/" + owner + "/" + name;
}

caf::expected<std::vector<stored_folder>> scan_storage_root(const std::string& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    return storage_error("create the storage root", root, ec);
  std::vector<stored_folder> out;
  fs::directory_iterator owners{root, ec};
  if (ec)
    return storage_error("read the storage root", root, ec);
  for (auto& owner_dir : owners) {
    auto owner = owner_dir.path().filename().string();
    if (!plain_owner(owner) || !owner_dir.is_directory(ec) || owner_dir.is_symlink(ec))
      continue;
    for (auto& folder : fs::directory_iterator{owner_dir.path(), ec}) {
      auto name = folder.path().filename().string();
      if (!checks::check_folder_name("name", name) && folder.is_directory(ec) &&
          !folder.is_symlink(ec))
        out.push_back({owner, name});
    }
    if (ec)
      return storage_error("read", owner_dir.path().string(), ec);
  }
  return out;
}

caf::expected<bool> make_folder_dir(const std::string& root, const std::string& owner,
                                    const std::string& name) {
  if (!plain_owner(owner))
    return make_error(errc::runtime_error, "the user uuid \"" + checks::shown(owner) +
                                               "\" cannot name a storage directory");
  std::error_code ec;
  auto owner_dir = root + "/" + owner;
  fs::create_directories(owner_dir, ec);
  if (ec)
    return storage_error("create", owner_dir, ec);
  auto path = folder_host_path(root, owner, name);
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
    return storage_error("create", path, std::error_code{errno, std::generic_category()});
  if (!fs::is_directory(fs::symlink_status(path, ec)))
    return make_error(errc::runtime_error, "cannot create " + path + ": something else is there");
  return true;
}

caf::expected<bool> remove_folder_dir(const std::string& root, const std::string& owner,
                                      const std::string& name) {
  std::error_code ec;
  auto path = folder_host_path(root, owner, name);
  fs::remove_all(path, ec);
  if (ec)
    return storage_error("remove", path, ec);
  return true;
}

} // namespace baikal
