#include "runtime/paths/storage_mounts.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/paths/detail/beneath.hpp"

namespace baikal {

namespace {

caf::expected<std::string> real_path(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved{::realpath(path.c_str(), nullptr),
                                                       &std::free};
  if (!resolved)
    return make_error(errc::invalid_argument, detail::errno_text(errno) + ": " + path);
  return std::string{resolved.get()};
}

} // namespace

caf::expected<std::string> confine_mount_source(const std::string& root, const std::string& source,
                                                const std::string& field) {
  auto real_root = real_path(root);
  if (!real_root)
    return make_error(errc::invalid_argument,
                      "this agent's storage root cannot be used: " + message_of(real_root.error()));
  auto real_source = real_path(source);
  if (!real_source)
    return make_error(errc::invalid_argument,
                      field + " cannot be mounted: " + message_of(real_source.error()));
  auto prefix = *real_root == "/" ? *real_root : *real_root + "/";
  if (real_source->size() <= prefix.size() || real_source->compare(0, prefix.size(), prefix) != 0)
    return make_error(errc::permission_denied, field + " (" + checks::shown(source) +
                                                   ") is not inside this agent's storage root " +
                                                   root);
  struct stat st {};
  if (::stat(real_source->c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return make_error(errc::invalid_argument,
                      field + " (" + checks::shown(source) + ") is not a directory");
  return real_source;
}

caf::expected<std::vector<mount_spec>>
prepare_mounts(const std::string& root, std::vector<mount_spec> mounts, mount_owner owner) {
  if (mounts.empty())
    return mounts;
  if (root.empty())
    return make_error(errc::invalid_argument,
                      "this agent has no [storage] root in its agent.toml, so it mounts no "
                      "storage folders");
  for (size_t i = 0; i < mounts.size(); ++i) {
    auto field = "mounts[" + std::to_string(i) + "]";
    if (auto err = checks::check_mount(field, mounts[i]))
      return err;
    auto source = confine_mount_source(root, mounts[i].source, field + ".source");
    if (!source)
      return std::move(source.error());
    mounts[i].source = std::move(*source);
    if (mounts[i].mode != "rw")
      continue;
    // The folder's top directory only: what the kernel writes inside is its user's already.
    if (::chown(mounts[i].source.c_str(), owner.uid, owner.gid) != 0)
      ::chmod(mounts[i].source.c_str(), 0777);
  }
  return mounts;
}

} // namespace baikal
