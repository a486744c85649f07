#include "runtime/archive/single_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "messages/errors.hpp"
#include "runtime/archive/tar_writer.hpp"
#include "runtime/paths/detail/beneath.hpp"

namespace baikal {

namespace {

caf::error io_error(int err, const std::string& shown) {
  return make_error(errc::runtime_error, detail::errno_text(err) + ": " + shown,
                    detail::is_missing(err) ? error_detail::missing_path : error_detail::none);
}

/// What archive_work_path names a file's member: its basename.
std::string member_name(const std::string& relative) {
  auto slash = relative.rfind('/');
  return slash == std::string::npos ? relative : relative.substr(slash + 1);
}

/// The limit check of the archive the file would be, with the writer's own arithmetic (a long
/// name adds a GNU longname member); only its header is ever written.
caf::error check_archive_size(const std::string& name, uint64_t size, uint64_t limit) {
  tar_entry entry;
  entry.name = name;
  entry.size = size;
  tar_writer probe{limit};
  return probe.begin_file(entry);
}

} // namespace

caf::expected<single_file> open_single_file(const work_dir& dir, const std::string& user_path,
                                            uint64_t limit) {
  auto relative = work_relative_path(user_path, path_access::download);
  if (!relative)
    return relative.error();
  auto shown = container_path_of(*relative);
  auto at = dir.open_path(user_path, path_access::download);
  if (!at)
    return at.error();
  struct stat st {};
  if (::fstat(at->get(), &st) != 0)
    return io_error(errno, shown);
  if (relative->empty() || !S_ISREG(st.st_mode)) {
    // Never one regular file: the archive path names the error.
    auto whole = download_single_file(dir, user_path, limit);
    if (!whole)
      return whole.error();
    return make_error(errc::invalid_argument,
                      "Expected a single-file archive but found no regular file from " + user_path);
  }
  auto fd = dir.open_file(user_path, path_access::download);
  if (!fd)
    return fd.error();
  if (::fstat(fd->get(), &st) != 0)
    return io_error(errno, shown);
  auto size = static_cast<uint64_t>(st.st_size);
  if (auto err = check_archive_size(member_name(*relative), size, limit))
    return err;
  return single_file{std::move(*fd), size, std::move(shown)};
}

caf::expected<std::string> read_file_chunk(const single_file& file, uint64_t offset,
                                           uint64_t max_bytes) {
  if (offset >= file.size)
    return std::string{};
  // The length checked at opening bounds what is handed out, as it bounds the archive.
  auto want = static_cast<size_t>(std::min(max_bytes, file.size - offset));
  std::string out(want, '\0');
  size_t done = 0;
  while (done < want) {
    auto n =
        ::pread(file.fd.get(), out.data() + done, want - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return io_error(errno, file.shown);
    if (n == 0)
      break; // the file shrank since it was opened
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

} // namespace baikal
