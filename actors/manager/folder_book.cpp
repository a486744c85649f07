#include "actors/manager/folder_book.hpp"

#include <set>

#include "messages/errors.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/paths/storage_folders.hpp"

namespace baikal {

namespace {

caf::error no_folder(const std::string& name) {
  return make_error(errc::not_found, "no folder " + name);
}

} // namespace

void folder_book::add(const user_id& owner, const std::string& name) {
  folders_[{owner, name}] = entry{};
}

caf::error folder_book::reserve(const user_id& owner, const std::string& name) {
  auto [i, fresh] = folders_.try_emplace({owner, name}, entry{phase::making, 0});
  if (fresh)
    return {};
  if (i->second.at == phase::removing)
    return make_error(errc::conflict, "folder " + name + " is being removed; ask again once it is");
  return make_error(errc::conflict, "folder " + name + " already exists");
}

void folder_book::made(const user_id& owner, const std::string& name) {
  folders_[{owner, name}].at = phase::ready;
}

void folder_book::unreserve(const user_id& owner, const std::string& name) {
  folders_.erase({owner, name});
}

caf::error folder_book::begin_removal(const user_id& owner, const std::string& name) {
  auto i = folders_.find({owner, name});
  if (i == folders_.end())
    return no_folder(name);
  if (i->second.at != phase::ready)
    return make_error(errc::conflict, "folder " + name + " is being " +
                                          (i->second.at == phase::making ? "made" : "removed") +
                                          " right now");
  if (i->second.pins > 0)
    return make_error(errc::conflict,
                      "folder " + name + " is mounted by a session being created right now");
  i->second.at = phase::removing;
  return {};
}

void folder_book::removed(const user_id& owner, const std::string& name) {
  folders_.erase({owner, name});
}

void folder_book::removal_failed(const user_id& owner, const std::string& name) {
  if (auto i = folders_.find({owner, name}); i != folders_.end())
    i->second.at = phase::ready;
}

bool folder_book::has(const user_id& owner, const std::string& name) const {
  auto i = folders_.find({owner, name});
  return i != folders_.end() && i->second.at == phase::ready;
}

std::vector<folder_info> folder_book::folders_of(const user_id& owner) const {
  std::vector<folder_info> out;
  for (auto i = folders_.lower_bound({owner, std::string{}});
       i != folders_.end() && i->first.first == owner; ++i)
    if (i->second.at == phase::ready)
      out.push_back(folder_info{i->first.second});
  return out;
}

void folder_book::pin(const user_id& owner, const std::vector<folder_mount>& mounts) {
  for (auto& m : mounts)
    if (auto i = folders_.find({owner, m.folder}); i != folders_.end())
      ++i->second.pins;
}

void folder_book::unpin(const user_id& owner, const std::vector<folder_mount>& mounts) {
  for (auto& m : mounts)
    if (auto i = folders_.find({owner, m.folder}); i != folders_.end() && i->second.pins > 0)
      --i->second.pins;
}

caf::expected<std::vector<mount_spec>> resolve_mounts(const std::vector<folder_mount>& mounts,
                                                      const folder_book& book,
                                                      const std::string& root,
                                                      const user_id& owner) {
  std::vector<mount_spec> out;
  if (mounts.empty())
    return out;
  if (root.empty())
    return make_error(errc::invalid_argument,
                      "mounts: this manager has no [storage] root, so sessions mount no folders");
  if (mounts.size() > checks::max_session_mounts)
    return make_error(errc::invalid_argument,
                      "mounts names " + std::to_string(mounts.size()) + " folders; at most " +
                          std::to_string(checks::max_session_mounts) + " are accepted");
  std::set<std::string> seen;
  for (size_t i = 0; i < mounts.size(); ++i) {
    auto field = "mounts[" + std::to_string(i) + "]";
    auto& m = mounts[i];
    if (auto err = checks::check_folder_name(field + ".folder", m.folder))
      return err;
    if (auto err = checks::check_mount_mode(field + ".mode", m.mode))
      return err;
    if (!seen.insert(m.folder).second)
      return make_error(errc::invalid_argument,
                        field + ".folder names " + m.folder + " a second time");
    if (!book.has(owner, m.folder))
      return make_error(errc::invalid_argument, field + ".folder: you have no folder " + m.folder +
                                                    " (POST /v1/folders makes one)");
    out.push_back(mount_spec{folder_host_path(root, owner, m.folder),
                             checks::mount_target_of(m.folder), m.mode});
  }
  return out;
}

std::optional<session_id> live_session_mounting(session_table& sessions,
                                                const std::string& source) {
  for (auto& [id, e] : sessions) {
    if (is_terminal(e.status))
      continue;
    for (auto& m : mounts_of(e))
      if (m.source == source)
        return id;
  }
  return std::nullopt;
}

caf::error folder_in_use(const std::string& name, const session_id& session) {
  return make_error(errc::conflict, "folder " + name + " is mounted by session " + session +
                                        ", which is still live; terminate it first");
}

} // namespace baikal
