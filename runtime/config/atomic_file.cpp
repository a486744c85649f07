#include "runtime/config/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "messages/errors.hpp"
#include "runtime/paths/detail/beneath.hpp"
#include "runtime/paths/unique_fd.hpp"

namespace baikal {

namespace {

caf::error io_error(const char* what, const std::string& path, int err) {
  return make_error(errc::runtime_error,
                    std::string{"Cannot "} + what + " " + path + ": " + detail::errno_text(err));
}

caf::error write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return io_error("write", path, errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

caf::expected<std::string> read_whole_file(const std::string& path) {
  unique_fd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (!fd)
    return io_error("read", path, errno);
  std::string out;
  char buf[16384];
  for (;;) {
    auto n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return io_error("read", path, errno);
    if (n == 0)
      return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

caf::error write_file_atomically(const std::string& path, std::string_view contents, int mode) {
  std::string target = path;
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved))
    target = resolved; // keep an administrator's symlinked config a symlink
  struct stat old {};
  if (mode < 0)
    mode = ::stat(target.c_str(), &old) == 0 ? static_cast<int>(old.st_mode & 07777) : 0644;
  std::string tmp = target + ".tmp.XXXXXX";
  unique_fd fd{::mkostemp(tmp.data(), O_CLOEXEC)};
  if (!fd)
    return io_error("create a temporary file for", target, errno);
  auto fail = [&](caf::error err) {
    ::unlink(tmp.c_str());
    return err;
  };
  if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0)
    return fail(io_error("set the mode of", tmp, errno));
  if (auto err = write_all(fd.get(), contents, tmp))
    return fail(std::move(err));
  if (::fsync(fd.get()) != 0)
    return fail(io_error("sync", tmp, errno));
  if (::close(fd.release()) != 0)
    return fail(io_error("close", tmp, errno));
  if (::rename(tmp.c_str(), target.c_str()) != 0)
    return fail(io_error("replace", target, errno));
  // The rename itself lives in the directory: sync it so the new name survives a crash.
  unique_fd dir{::open(directory_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir)
    ::fsync(dir.get());
  return {};
}

} // namespace baikal
