#include "actors/kernel/kernel_paths.hpp"

#include <filesystem>
#include <system_error>

#include "runtime/logging/log.hpp"

namespace baikal {

scratch_dirs scratch_dirs_of(const std::string& scratch_root, const kernel_id& id) {
  scratch_dirs dirs;
  dirs.root = scratch_root + "/" + id;
  dirs.work = dirs.root + "/work";
  dirs.config = dirs.root + "/config";
  return dirs;
}

void remove_scratch(const scratch_dirs& dirs) {
  std::error_code ec;
  std::filesystem::remove_all(dirs.root, ec);
  if (ec)
    log::get("kernel")->warn("could not remove scratch directory {}: {}", dirs.root, ec.message());
}

} // namespace baikal
