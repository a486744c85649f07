#include "actors/kernel/file_upload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>

#include "messages/errors.hpp"
#include "runtime/paths/disk_space.hpp"

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

caf::error write_failed(const std::string& shown, uint64_t needed, int err) {
  if (is_disk_full(err))
    return no_room_for(shown, needed, std::nullopt);
  return make_error(errc::runtime_error, "cannot write " + shown + ": " + std::strerror(err));
}

} // namespace

caf::expected<std::unique_ptr<file_upload>> file_upload::open(const file_roots& roots,
                                                              const std::string& original_path,
                                                              uint64_t expected_size) {
  auto opened = open_user_path(roots, original_path, path_access::upload);
  if (!opened)
    return opened.error();
  auto& dir = opened->dir;
  auto relative = work_relative_path(opened->user_path, path_access::upload);
  if (!relative)
    return relative.error();
  auto shown = container_path_of(*relative);
  if (relative->empty())
    return make_error(errc::invalid_argument, "cannot upload to " + shown + ": it is a directory");
  // Known too big at once: nothing is written.
  if (auto free = free_bytes_at(dir.fd()); free && *free < expected_size)
    return no_room_for(shown, expected_size, free);
  // Uploads belong to whoever owns the work directory (the kernel's user), so code can change
  // them.
  struct stat root {};
  file_owner owner;
  if (::fstat(dir.fd(), &root) == 0)
    owner = file_owner{root.st_uid, root.st_gid};
  auto slash = relative->rfind('/');
  auto parent = slash == std::string::npos ? std::string{} : relative->substr(0, slash);
  auto name = slash == std::string::npos ? *relative : relative->substr(slash + 1);
  auto temp = upload_temp_name();
  auto fd = dir.create_file(container_path_of(parent.empty() ? temp : parent + "/" + temp),
                            path_access::upload, 0644, owner);
  if (!fd)
    return fd.error();
  auto parent_fd = dir.open_directory(container_path_of(parent), path_access::upload);
  if (!parent_fd) {
    // Made just now, but its directory cannot be opened again: nothing can remove it by name.
    return parent_fd.error();
  }
  return std::unique_ptr<file_upload>{new file_upload{
      std::move(*parent_fd), std::move(*fd), std::move(temp), std::move(name), std::move(shown)}};
}

file_upload::~file_upload() {
  if (!committed_ && parent_)
    ::unlinkat(parent_.get(), temp_.c_str(), 0);
}

caf::error file_upload::write_at(uint64_t offset, std::string_view data) const {
  size_t done = 0;
  while (done < data.size()) {
    auto n = ::pwrite(file_.get(), data.data() + done, data.size() - done,
                      static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return write_failed(shown_, offset + data.size(), errno);
    done += static_cast<size_t>(n);
  }
  return {};
}

caf::error file_upload::commit() {
  if (committed_)
    return make_error(errc::invalid_argument, "the upload of " + shown_ + " was finished already");
  if (::fsync(file_.get()) != 0) {
    struct stat st {};
    auto size = ::fstat(file_.get(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    return is_disk_full(errno) ? no_room_for(shown_, size, std::nullopt)
                               : make_error(errc::runtime_error,
                                            "cannot flush " + shown_ + ": " + std::strerror(errno));
  }
  // Renamed into place: a write that failed half-way (the disk filled up meanwhile) leaves
  // neither a partial file nor a truncated old one.
  if (::renameat(parent_.get(), temp_.c_str(), parent_.get(), name_.c_str()) != 0)
    return make_error(errc::runtime_error, "cannot write " + shown_ + ": " + std::strerror(errno));
  committed_ = true;
  return {};
}

caf::error write_whole_upload(const file_roots& roots, const std::string& user_path,
                              std::string_view data) {
  auto upload = file_upload::open(roots, user_path, data.size());
  if (!upload)
    return upload.error();
  if (auto err = (*upload)->write_at(0, data))
    return err;
  return (*upload)->commit();
}

} // namespace baikal
