#include "actors/kernel/kernel_files.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <random>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "messages/errors.hpp"
#include "runtime/archive/work_archive.hpp"
#include "runtime/paths/confined_path.hpp"
#include "runtime/paths/disk_space.hpp"
#include "runtime/paths/list_directory.hpp"

namespace baikal {

namespace {

/// An upload that does not fit: 413, with what it needed and what there was.
caf::error no_room_for(const std::string& shown, uint64_t needed, std::optional<uint64_t> free) {
  return make_error(errc::too_large,
                    "no space left on the kernel's disk for " + shown + ": it needs " +
                        byte_count_text(needed) +
                        (free ? ", " + byte_count_text(*free) + " are free" : std::string{}));
}

/// A name for the file an upload is written to before it takes its place.
std::string upload_temp_name() {
  std::random_device rd;
  char name[40];
  std::snprintf(name, sizeof name, ".baikal-upload-%08x%08x", rd(), rd());
  return name;
}

caf::error write_all(int fd, const std::string& data, const std::string& shown) {
  size_t done = 0;
  while (done < data.size()) {
    auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && is_disk_full(errno))
      return no_room_for(shown, data.size(), std::nullopt);
    if (n < 0)
      return make_error(errc::runtime_error, "cannot write " + shown + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0)
    return is_disk_full(errno) ? no_room_for(shown, data.size(), std::nullopt)
                               : make_error(errc::runtime_error,
                                            "cannot flush " + shown + ": " + std::strerror(errno));
  return {};
}

} // namespace

caf::expected<ack> accept_file_in(const file_roots& roots, const std::string& original_path,
                                  const std::string& data) {
  auto routed = route_user_path(roots, original_path, path_access::upload);
  if (!routed)
    return routed.error();
  auto& user_path = routed->user_path;
  auto dir = work_dir::open(routed->host_root);
  if (!dir)
    return dir.error();
  auto relative = work_relative_path(user_path, path_access::upload);
  if (!relative)
    return relative.error();
  auto shown = container_path_of(*relative);
  if (relative->empty())
    return make_error(errc::invalid_argument, "cannot upload to " + shown + ": it is a directory");
  // Known too big at once: nothing is written.
  if (auto free = free_bytes_at(dir->fd()); free && *free < data.size())
    return no_room_for(shown, data.size(), free);
  // Uploads belong to whoever owns the work directory (the kernel's user), so code can change them.
  struct stat root {};
  file_owner owner;
  if (::fstat(dir->fd(), &root) == 0)
    owner = file_owner{root.st_uid, root.st_gid};
  // Written beside its place and renamed into it: a write that fails half-way (the disk filled
  // up meanwhile) leaves neither a partial file nor a truncated old one.
  auto slash = relative->rfind('/');
  auto parent = slash == std::string::npos ? std::string{} : relative->substr(0, slash);
  auto name = slash == std::string::npos ? *relative : relative->substr(slash + 1);
  auto temp = upload_temp_name();
  auto fd = dir->create_file(container_path_of(parent.empty() ? temp : parent + "/" + temp),
                             path_access::upload, 0644, owner);
  if (!fd)
    return fd.error();
  auto parent_fd = dir->open_directory(container_path_of(parent), path_access::upload);
  if (!parent_fd)
    return parent_fd.error();
  auto err = write_all(fd->get(), data, shown);
  if (!err && ::renameat(parent_fd->get(), temp.c_str(), parent_fd->get(), name.c_str()) != 0)
    err = make_error(errc::runtime_error, "cannot write " + shown + ": " + std::strerror(errno));
  if (err) {
    ::unlinkat(parent_fd->get(), temp.c_str(), 0);
    return err;
  }
  return ack{};
}

caf::expected<file_bytes> download_file_from(const file_roots& roots,
                                             const std::string& user_path) {
  auto routed = route_user_path(roots, user_path, path_access::download);
  if (!routed)
    return routed.error();
  auto dir = work_dir::open(routed->host_root);
  if (!dir)
    return dir.error();
  auto archive = archive_work_path(*dir, routed->user_path);
  if (!archive)
    return archive.error();
  return file_bytes{std::move(*archive)};
}

caf::expected<file_bytes> download_single_from(const file_roots& roots,
                                               const std::string& user_path) {
  auto routed = route_user_path(roots, user_path, path_access::download);
  if (!routed)
    return routed.error();
  auto dir = work_dir::open(routed->host_root);
  if (!dir)
    return dir.error();
  auto data = download_single_file(*dir, routed->user_path);
  if (!data)
    return data.error();
  return file_bytes{std::move(*data)};
}

caf::expected<file_listing> list_files_in(const file_roots& roots, const std::string& user_path) {
  auto routed = route_user_path(roots, user_path, path_access::list);
  if (!routed)
    return routed.error();
  auto dir = work_dir::open(routed->host_root);
  if (!dir)
    return dir.error();
  auto listing = list_directory(*dir, routed->user_path);
  if (listing)
    listing->abspath = user_path; // the path as the user named it, mount or not
  return listing;
}

} // namespace baikal
