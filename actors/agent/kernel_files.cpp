#include "actors/agent/kernel_files.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "messages/errors.hpp"
#include "runtime/archive/work_archive.hpp"
#include "runtime/paths/confined_path.hpp"
#include "runtime/paths/list_directory.hpp"

namespace baikal {

caf::expected<ack> accept_file_in(const std::string& work_host_dir, const std::string& user_path,
                                  const std::string& data) {
  auto dir = work_dir::open(work_host_dir);
  if (!dir)
    return dir.error();
  // Uploads belong to whoever owns the work directory (the kernel's user), so code can change them.
  struct stat root {};
  file_owner owner;
  if (::fstat(dir->fd(), &root) == 0)
    owner = file_owner{root.st_uid, root.st_gid};
  auto fd = dir->create_file(user_path, path_access::upload, 0644, owner);
  if (!fd)
    return fd.error();
  size_t done = 0;
  while (done < data.size()) {
    auto n = ::write(fd->get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return make_error(errc::runtime_error,
                        "cannot write " + user_path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd->get()) != 0)
    return make_error(errc::runtime_error,
                      "cannot flush " + user_path + ": " + std::strerror(errno));
  return ack{};
}

caf::expected<file_bytes> download_file_from(const std::string& work_host_dir,
                                             const std::string& user_path) {
  auto dir = work_dir::open(work_host_dir);
  if (!dir)
    return dir.error();
  auto archive = archive_work_path(*dir, user_path);
  if (!archive)
    return archive.error();
  return file_bytes{std::move(*archive)};
}

caf::expected<file_bytes> download_single_from(const std::string& work_host_dir,
                                               const std::string& user_path) {
  auto dir = work_dir::open(work_host_dir);
  if (!dir)
    return dir.error();
  auto data = download_single_file(*dir, user_path);
  if (!data)
    return data.error();
  return file_bytes{std::move(*data)};
}

caf::expected<file_listing> list_files_in(const std::string& work_host_dir,
                                          const std::string& user_path) {
  auto dir = work_dir::open(work_host_dir);
  if (!dir)
    return dir.error();
  return list_directory(*dir, user_path);
}

} // namespace baikal
