#pragma once

/// Storage folders on the manager's side: `{root}/{owner uuid}/{name}` directories under the
/// manager's `[storage] root`, a path every agent sees at the same place. The directories are
/// the record of which folders exist (the manager reads them back when it starts). Every
/// function here blocks on the file system: the manager calls them on a blocking executor, or
/// before it serves.

#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

namespace baikal {

/// `{root}/{owner}/{name}`.
std::string folder_host_path(const std::string& root, const std::string& owner,
                             const std::string& name);

/// A folder as the directories record it.
struct stored_folder {
  std::string owner;
  std::string name;
};

/// Makes `root` (and its parents) when missing, then lists `{owner}/{name}` directories below
/// it whose owner is a plain name and whose name is a valid folder name (anything else there
/// is not ours and is left alone). runtime_error naming the root when it cannot be made or
/// read.
caf::expected<std::vector<stored_folder>> scan_storage_root(const std::string& root);

/// Makes the folder's directory (its owner's directory too); one that exists already is
/// taken as it is.
caf::expected<bool> make_folder_dir(const std::string& root, const std::string& owner,
                                    const std::string& name);

/// Removes the folder's directory tree; links inside are removed, never followed.
caf::expected<bool> remove_folder_dir(const std::string& root, const std::string& owner,
                                      const std::string& name);

} // namespace baikal
