#include "runtime/paths/socket_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace baikal::paths {

namespace {

struct split_path {
  std::string dir;
  std::string name;
};

split_path split(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

std::string through_fd(int fd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(fd) + "/" + name;
}

/// Whether /proc/self/fd/N of the open directory `fd` leads to that directory.
bool proc_reaches(int fd) {
  struct stat via_proc {};
  struct stat direct {};
  return ::stat(through_fd(fd, "").c_str(), &via_proc) == 0 && ::fstat(fd, &direct) == 0 &&
         via_proc.st_dev == direct.st_dev && via_proc.st_ino == direct.st_ino;
}

std::string too_long(const std::string& path, const std::string& why) {
  return "the socket path " + path + " is longer than the " + std::to_string(max_socket_path) +
         " bytes a Unix socket address holds, and " + why;
}

} // namespace

std::optional<socket_path> socket_path::reach(const std::string& path, std::string& error) {
  socket_path out;
  if (path.empty()) {
    error = "the socket path is empty";
    return std::nullopt;
  }
  if (path.size() <= max_socket_path) {
    out.name_ = path;
    return out;
  }
  auto parts = split(path);
  if (parts.name.empty()) {
    error = too_long(path, "names a directory");
    return std::nullopt;
  }
  out.dir_.reset(::open(parts.dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!out.dir_) {
    error = too_long(path, "its directory cannot be opened to reach it through /proc/self/fd: " +
                               std::string{std::strerror(errno)});
    return std::nullopt;
  }
  out.name_ = through_fd(out.dir_.get(), parts.name);
  if (out.name_.size() > max_socket_path) {
    error = too_long(path, "its file name " + parts.name +
                               " is too long to reach it through "
                               "/proc/self/fd");
    return std::nullopt;
  }
  if (!proc_reaches(out.dir_.get())) {
    error = too_long(path, "/proc/self/fd, through which it would be reached, is not there");
    return std::nullopt;
  }
  return out;
}

sockaddr_un socket_path::address() const {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, name_.c_str(), std::min(name_.size() + 1, sizeof addr.sun_path));
  return addr;
}

socklen_t socket_path::address_size() const {
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size() + 1);
}

std::string unreachable_socket_path(const std::string& path) {
  if (path.empty())
    return "the socket path is empty";
  if (path.size() <= max_socket_path)
    return {};
  auto parts = split(path);
  if (parts.name.empty())
    return too_long(path, "names a directory");
  if (parts.name.size() > max_socket_name)
    return too_long(path, "its file name " + parts.name + " is longer than the " +
                              std::to_string(max_socket_name) +
                              " bytes that can be reached through /proc/self/fd");
  unique_fd root{::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)};
  if (!root || !proc_reaches(root.get()))
    return too_long(path, "/proc/self/fd, through which it would be reached, is not there");
  return {};
}

} // namespace baikal::paths
