#include "runtime/archive/work_archive.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/archive/tar_reader.hpp"
#include "runtime/archive/tar_writer.hpp"
#include "runtime/paths/detail/beneath.hpp"

namespace baikal {

namespace {

caf::error io_error(int err, const std::string& shown) {
  return make_error(errc::runtime_error, detail::errno_text(err) + ": " + shown,
                    detail::is_missing(err) ? error_detail::missing_path : error_detail::none);
}

tar_entry entry_of(const struct stat& st, std::string name) {
  tar_entry e;
  e.name = std::move(name);
  e.mode = static_cast<uint32_t>(st.st_mode & 07777);
  e.mtime = st.st_mtime;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  return e;
}

// Streams `fd` into the archive. The size is the one fstat saw: a file that grows meanwhile
// is cut there, one that shrinks is padded, so the header always tells the truth.
caf::error add_file(tar_writer& w, int fd, const struct stat& st, std::string name,
                    const std::string& shown) {
  auto entry = entry_of(st, std::move(name));
  entry.size = static_cast<uint64_t>(st.st_size);
  if (auto err = w.begin_file(entry))
    return err;
  std::vector<char> buf(64 * 1024);
  for (uint64_t left = entry.size; left > 0;) {
    auto n = ::read(fd, buf.data(), std::min<uint64_t>(buf.size(), left));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return io_error(errno, shown);
    if (n == 0)
      break;
    w.append_data({buf.data(), static_cast<size_t>(n)});
    left -= static_cast<uint64_t>(n);
  }
  w.end_file();
  return {};
}

std::vector<std::string> child_names(int dir_fd) {
  std::vector<std::string> names;
  int own = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (own < 0)
    return names;
  DIR* dir = ::fdopendir(own);
  if (!dir) {
    ::close(own);
    return names;
  }
  while (auto* ent = ::readdir(dir))
    if (std::strcmp(ent->d_name, ".") != 0 && std::strcmp(ent->d_name, "..") != 0)
      names.emplace_back(ent->d_name);
  ::closedir(dir);
  std::sort(names.begin(), names.end()); // deterministic archives
  return names;
}

// Adds everything below `dir_fd` under `prefix`. Each child is opened with O_NOFOLLOW
// relative to its parent's descriptor, so a link swapped in meanwhile is never followed;
// entries that vanish while we read are skipped, as a concurrent `tar` would.
caf::error add_tree(tar_writer& w, int dir_fd, const std::string& prefix, const std::string& shown,
                    int depth) {
  if (depth > max_archive_depth)
    return make_error(errc::runtime_error, "Directories nest deeper than " +
                                               std::to_string(max_archive_depth) +
                                               " levels: " + shown);
  for (auto& name : child_names(dir_fd)) {
    auto member = prefix + '/' + name;
    auto child_shown = shown + '/' + name;
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      auto n = ::readlinkat(dir_fd, name.c_str(), target, sizeof(target));
      if (n < 0 || static_cast<size_t>(n) >= sizeof(target))
        continue;
      auto entry = entry_of(st, member);
      entry.linkname.assign(target, static_cast<size_t>(n));
      if (auto err = w.add_symlink(std::move(entry)))
        return err;
      continue;
    }
    bool is_dir = S_ISDIR(st.st_mode);
    if (!is_dir && !S_ISREG(st.st_mode))
      continue;
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (is_dir ? O_DIRECTORY : O_NONBLOCK);
    unique_fd fd{::openat(dir_fd, name.c_str(), flags)};
    if (!fd || ::fstat(fd.get(), &st) != 0 || S_ISDIR(st.st_mode) != is_dir ||
        (!is_dir && !S_ISREG(st.st_mode)))
      continue; // gone or replaced by something else since fstatat
    caf::error err = is_dir ? w.add_directory(entry_of(st, member))
                            : add_file(w, fd.get(), st, member, child_shown);
    if (!err && is_dir)
      err = add_tree(w, fd.get(), member, child_shown, depth + 1);
    if (err)
      return err;
  }
  return {};
}

} // namespace

caf::expected<std::string> archive_work_path(const work_dir& dir, const std::string& user_path,
                                             uint64_t limit) {
  auto relative = work_relative_path(user_path, path_access::download);
  if (!relative)
    return relative.error();
  auto at = dir.open_path(user_path, path_access::download);
  if (!at)
    return at.error();
  auto shown = container_path_of(*relative);
  struct stat st {};
  if (::fstat(at->get(), &st) != 0)
    return io_error(errno, shown);
  auto slash = relative->rfind('/');
  std::string base = relative->empty()            ? "work"
                     : slash == std::string::npos ? *relative
                                                  : relative->substr(slash + 1);
  tar_writer w{limit};
  if (S_ISREG(st.st_mode)) {
    auto fd = dir.open_file(user_path, path_access::download);
    if (!fd)
      return fd.error();
    if (::fstat(fd->get(), &st) != 0)
      return io_error(errno, shown);
    if (auto err = add_file(w, fd->get(), st, base, shown))
      return err;
  } else if (S_ISDIR(st.st_mode)) {
    unique_fd fd{::openat(at->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (!fd)
      return io_error(errno, shown);
    if (auto err = w.add_directory(entry_of(st, base)))
      return err;
    if (auto err = add_tree(w, fd.get(), base, shown, 1))
      return err;
  } else {
    return make_error(errc::runtime_error, "Not a regular file or directory: " + shown);
  }
  return w.finish();
}

caf::expected<std::string> extract_single_file(std::string_view archive,
                                               const std::string& user_path) {
  auto entries = read_tar(archive);
  if (!entries)
    return entries.error();
  if (entries->size() > 1)
    return make_error(errc::invalid_argument,
                      "Expected a single-file archive but found multiple files from " + user_path);
  if (entries->empty() || entries->front().type != tar_type::file)
    return make_error(errc::invalid_argument,
                      "Expected a single-file archive but found no regular file from " + user_path);
  return std::move(entries->front().data);
}

caf::expected<std::string> download_single_file(const work_dir& dir, const std::string& user_path,
                                                uint64_t limit) {
  auto archive = archive_work_path(dir, user_path, limit);
  if (!archive)
    return archive.error();
  return extract_single_file(*archive, user_path);
}

} // namespace baikal
