#include "runtime/paths/mounted_path.hpp"

#include "messages/errors.hpp"

namespace baikal {

caf::expected<routed_path> route_user_path(const file_roots& roots, const std::string& user_path,
                                           path_access access) {
  auto relative = work_relative_path(user_path, access);
  if (!relative)
    return relative.error();
  for (auto& m : roots.mounts) {
    auto target = container_path_of(*relative);
    if (target.compare(0, m.target.size(), m.target) != 0 ||
        (target.size() > m.target.size() && target[m.target.size()] != '/'))
      continue;
    if (access == path_access::upload && m.mode == "ro")
      return make_error(errc::permission_denied, m.target + " is mounted read-only");
    return routed_path{m.source, container_work_dir + target.substr(m.target.size())};
  }
  return routed_path{roots.work, user_path};
}

caf::expected<opened_user_path> open_user_path(const file_roots& roots,
                                               const std::string& user_path, path_access access) {
  auto routed = route_user_path(roots, user_path, access);
  if (!routed)
    return routed.error();
  auto dir = work_dir::open(routed->host_root);
  if (!dir)
    return dir.error();
  return opened_user_path{std::move(*dir), std::move(routed->user_path)};
}

} // namespace baikal
