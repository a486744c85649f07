#pragma once

/// The manager front's book of storage folders: which folders each user has, which are being
/// made or removed right now, and which a session being created is about to mount. The front
/// answers `POST/GET/DELETE /v1/folders` and resolves the `mounts` of new sessions from it,
/// without waiting for the file system; the directories under `[storage] root`
/// (runtime/paths/storage_folders.hpp) are the record it is filled from when the manager starts.
///
/// A folder is `ready` once its directory exists; `making` while it is being made (a second
/// create is a conflict, a mount does not see it yet) and `removing` while it is being removed
/// (a mount does not see it any more). A session whose creation is under way pins the folders
/// it mounts, so a delete cannot slip in before the session is in the front's table, where
/// live_session_mounting finds it.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "actors/manager/session_table.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

class folder_book {
public:
  /// A folder whose directory exists (read back at start, or made).
  void add(const user_id& owner, const std::string& name);

  /// Starts making a folder: conflict when the owner has one of that name (or it is being
  /// made or removed).
  caf::error reserve(const user_id& owner, const std::string& name);
  /// The folder's directory is there: it is ready.
  void made(const user_id& owner, const std::string& name);
  /// Making it failed: as if never asked.
  void unreserve(const user_id& owner, const std::string& name);

  /// Starts removing a folder: not_found when the owner has none of that name, conflict when
  /// it is being made or removed or a session being created pins it.
  caf::error begin_removal(const user_id& owner, const std::string& name);
  /// The directory is gone: so is the folder.
  void removed(const user_id& owner, const std::string& name);
  /// Removing it failed: it is ready again.
  void removal_failed(const user_id& owner, const std::string& name);

  /// Whether the owner has a ready folder of that name.
  bool has(const user_id& owner, const std::string& name) const;
  /// The owner's ready folders, by name.
  std::vector<folder_info> folders_of(const user_id& owner) const;

  /// A session being created mounts these (of `owner`): deletes wait for unpin.
  void pin(const user_id& owner, const std::vector<folder_mount>& mounts);
  void unpin(const user_id& owner, const std::vector<folder_mount>& mounts);

private:
  enum class phase { ready, making, removing };
  struct entry {
    phase at = phase::ready;
    int pins = 0;
  };
  using key = std::pair<user_id, std::string>;
  std::map<key, entry> folders_;
};

/// The mounts of a new session of `owner`: each folder at /home/work/{folder}, its source
/// `{root}/{owner}/{folder}`. invalid_argument naming `mounts[i].folder` for a folder the owner
/// does not have (or a bad name, or one named twice) and `mounts[i].mode` for a mode other than
/// "rw" or "ro"; and when mounts are asked of a manager without a storage root.
caf::expected<std::vector<mount_spec>> resolve_mounts(const std::vector<folder_mount>& mounts,
                                                      const folder_book& book,
                                                      const std::string& root,
                                                      const user_id& owner);

/// The id of a live session (not TERMINATED nor ERROR) that mounts the folder at `source`, if
/// any.
std::optional<session_id> live_session_mounting(session_table& sessions, const std::string& source);

/// What deleting a folder that `session` mounts answers: conflict naming the session.
caf::error folder_in_use(const std::string& name, const session_id& session);

} // namespace baikal
