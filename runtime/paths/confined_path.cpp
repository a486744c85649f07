#include "runtime/paths/confined_path.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/paths/detail/beneath.hpp"

namespace baikal {

namespace {

const char* verb_of(path_access access) {
  switch (access) {
  case path_access::upload:
    return "upload";
  case path_access::download:
    return "download";
  case path_access::list:
    return "list";
  }
  return "access";
}

// EXDEV is what RESOLVE_BENEATH (and our walk) answer for a way out of the work directory.
caf::error path_error(int err, path_access access, const std::string& relative) {
  if (err == EXDEV)
    return outside_work_dir_error(access);
  return make_error(errc::runtime_error,
                    detail::errno_text(err) + ": " + container_path_of(relative),
                    detail::is_missing(err) ? error_detail::missing_path : error_detail::none);
}

// A FIFO or device planted by the container would block or misbehave when opened as a
// file: we open with O_NONBLOCK, then insist on a regular file and restore blocking I/O.
caf::expected<unique_fd> require_regular(unique_fd fd, const std::string& relative) {
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return make_error(errc::runtime_error,
                      detail::errno_text(errno) + ": " + container_path_of(relative));
  if (S_ISDIR(st.st_mode))
    return make_error(errc::runtime_error, "Is a directory: " + container_path_of(relative));
  if (!S_ISREG(st.st_mode))
    return make_error(errc::runtime_error, "Not a regular file: " + container_path_of(relative));
  int fl = ::fcntl(fd.get(), F_GETFL);
  if (fl >= 0)
    ::fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK);
  return fd;
}

// AT_EMPTY_PATH works on O_PATH descriptors too, where fchown would not.
int chown_to(int fd, file_owner owner) {
  if (owner.uid < 0 && owner.gid < 0)
    return 0;
  return ::fchownat(fd, "", static_cast<uid_t>(owner.uid), static_cast<gid_t>(owner.gid),
                    AT_EMPTY_PATH);
}

} // namespace

caf::error outside_work_dir_error(path_access access) {
  return make_error(errc::permission_denied, std::string{"You cannot "} + verb_of(access) +
                                                 " files outside " + container_work_dir);
}

caf::expected<std::string> work_relative_path(const std::string& user_path, path_access access) {
  if (user_path.find('\0') != std::string::npos)
    return make_error(errc::invalid_argument, "A path cannot contain a NUL character");
  // Resolve against /home/work as the container would, lexically: ".." at "/" stays at "/".
  std::vector<std::string> parts;
  if (user_path.empty() || user_path.front() != '/')
    parts = {"home", "work"};
  for (auto& part : detail::split_components(user_path)) {
    if (part == ".")
      continue;
    if (part == "..") {
      if (!parts.empty())
        parts.pop_back();
      continue;
    }
    parts.push_back(std::move(part));
  }
  if (parts.size() < 2 || parts[0] != "home" || parts[1] != "work")
    return outside_work_dir_error(access);
  std::string relative;
  for (size_t i = 2; i < parts.size(); ++i) {
    if (!relative.empty())
      relative += '/';
    relative += parts[i];
  }
  return relative;
}

std::string container_path_of(const std::string& relative) {
  std::string path = container_work_dir;
  if (!relative.empty())
    path += '/' + relative;
  return path;
}

std::string host_work_dir(const std::string& scratch_root, const std::string& kernel_id) {
  return scratch_root + '/' + kernel_id + "/work";
}

caf::expected<work_dir> work_dir::open(const std::string& host_path, resolve_strategy strategy) {
  int fd = ::open(host_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return make_error(errc::runtime_error, "Cannot open the kernel's work directory " + host_path +
                                               ": " + detail::errno_text(errno));
  return work_dir{unique_fd{fd}, strategy};
}

int work_dir::open_relative(const std::string& relative, int flags, mode_t mode,
                            unique_fd& out) const {
  auto how = strategy_ == resolve_strategy::walk ? detail::beneath_mode::walk
                                                 : detail::beneath_mode::openat2;
  return detail::open_beneath(root_.get(), relative, flags, mode, out, how);
}

caf::expected<unique_fd> work_dir::open_file(const std::string& user_path,
                                             path_access access) const {
  auto relative = work_relative_path(user_path, access);
  if (!relative)
    return relative.error();
  unique_fd fd;
  if (int err = open_relative(*relative, O_RDONLY | O_NONBLOCK, 0, fd))
    return path_error(err, access, *relative);
  return require_regular(std::move(fd), *relative);
}

caf::expected<unique_fd> work_dir::create_file(const std::string& user_path, path_access access,
                                               mode_t mode, file_owner owner) const {
  auto relative = work_relative_path(user_path, access);
  if (!relative)
    return relative.error();
  auto parts = detail::split_components(*relative);
  if (parts.empty())
    return make_error(errc::runtime_error, "Is a directory: " + container_path_of(""));
  // Each parent is opened below the root (following only links that stay inside), and a
  // missing one is made with mkdirat in its already-confined parent: mkdirat never follows
  // a link in its last component, so no directory appears outside.
  std::string prefix;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    auto next = prefix.empty() ? parts[i] : prefix + '/' + parts[i];
    unique_fd dir;
    int err = open_relative(next, O_PATH | O_DIRECTORY, 0, dir);
    if (err == ENOENT) {
      unique_fd parent;
      err = open_relative(prefix, O_PATH | O_DIRECTORY, 0, parent);
      bool made = false;
      if (err == 0 && ::mkdirat(parent.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST)
        err = errno;
      else if (err == 0)
        made = true;
      if (err == 0)
        err = open_relative(next, O_PATH | O_DIRECTORY, 0, dir);
      // Through the descriptor we just opened: never a path that could have been swapped.
      if (err == 0 && made && chown_to(dir.get(), owner) != 0)
        err = errno;
    }
    if (err)
      return path_error(err, access, next);
    prefix = std::move(next);
  }
  unique_fd fd;
  if (int err = open_relative(*relative, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, mode, fd))
    return path_error(err, access, *relative);
  auto file = require_regular(std::move(fd), *relative);
  if (file && chown_to(file->get(), owner) != 0)
    return path_error(errno, access, *relative);
  return file;
}

caf::expected<unique_fd> work_dir::open_directory(const std::string& user_path,
                                                  path_access access) const {
  auto relative = work_relative_path(user_path, access);
  if (!relative)
    return relative.error();
  unique_fd fd;
  if (int err = open_relative(*relative, O_RDONLY | O_DIRECTORY, 0, fd))
    return path_error(err, access, *relative);
  return fd;
}

caf::expected<unique_fd> work_dir::open_path(const std::string& user_path,
                                             path_access access) const {
  auto relative = work_relative_path(user_path, access);
  if (!relative)
    return relative.error();
  unique_fd fd;
  if (int err = open_relative(*relative, O_PATH, 0, fd))
    return path_error(err, access, *relative);
  return fd;
}

caf::expected<struct stat> work_dir::stat(const std::string& user_path, path_access access) const {
  auto fd = open_path(user_path, access);
  if (!fd)
    return fd.error();
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0)
    return make_error(errc::runtime_error, detail::errno_text(errno) + ": " + user_path);
  return st;
}

} // namespace baikal
