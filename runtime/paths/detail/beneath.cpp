#include "runtime/paths/detail/beneath.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <vector>

namespace baikal::detail {

namespace {

// Linux's own limit on symbolic links followed in one lookup.
constexpr int max_link_follows = 40;

// openat2 may answer EAGAIN when a rename raced with a RESOLVE_BENEATH lookup; retrying is
// what the man page asks for, but a hostile container could keep renaming, so not forever.
constexpr int max_eagain_retries = 32;

// Set once openat2 turned out to be missing (old kernel, or a seccomp filter answering
// ENOSYS), so later calls skip straight to the walk.
std::atomic<bool> openat2_missing{false};

// Reads the target of the link `name` in `dir` ("" with an O_PATH descriptor of the link).
bool read_link(int dir, const char* name, std::string& target) {
  char buf[4096];
  auto n = ::readlinkat(dir, name, buf, sizeof(buf));
  if (n < 0 || static_cast<size_t>(n) >= sizeof(buf))
    return false;
  target.assign(buf, static_cast<size_t>(n));
  return true;
}

int open_with_openat2(int root, const std::string& relative, int flags, mode_t mode,
                      unique_fd& out) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  // openat2 refuses a mode without O_CREAT/O_TMPFILE, unlike openat which ignores it.
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  const char* path = relative.empty() ? "." : relative.c_str();
  for (int attempt = 0; attempt < max_eagain_retries; ++attempt) {
    auto fd = ::syscall(SYS_openat2, root, path, &how, sizeof(how));
    if (fd >= 0) {
      out.reset(static_cast<int>(fd));
      return 0;
    }
    if (errno != EAGAIN)
      return errno;
  }
  return EAGAIN;
}

// Walks `relative` one component at a time. Every openat carries O_NOFOLLOW, so the kernel
// never follows a link for us; when a component is a link we read its target and splice its
// components into the remaining path ourselves, where ".." above `root` is caught.
int open_with_walk(int root, const std::string& relative, int flags, mode_t mode, unique_fd& out) {
  auto todo = split_components(relative);
  std::vector<unique_fd> stack; // directories entered below root; empty means at root
  int links = 0;
  auto current = [&] { return stack.empty() ? root : stack.back().get(); };
  // Splices the target of a link into the path still to walk.
  auto follow = [&](const std::string& target) {
    if (++links > max_link_follows)
      return ELOOP;
    if (target.empty())
      return ENOENT;
    if (target.front() == '/')
      return EXDEV; // absolute targets name the container's tree, never ours
    auto parts = split_components(target);
    todo.insert(todo.begin(), parts.begin(), parts.end());
    return 0;
  };
  while (!todo.empty()) {
    auto name = std::move(todo.front());
    todo.pop_front();
    if (name == ".")
      continue;
    if (name == "..") {
      if (stack.empty())
        return EXDEV;
      stack.pop_back();
      continue;
    }
    bool last = todo.empty();
    int step_flags = last ? (flags | O_NOFOLLOW) : (O_PATH | O_DIRECTORY | O_NOFOLLOW);
    int fd = ::openat(current(), name.c_str(), step_flags | O_CLOEXEC, mode);
    if (fd >= 0) {
      unique_fd opened{fd};
      struct stat st {};
      // With O_PATH|O_NOFOLLOW the kernel hands out the link itself rather than failing.
      if (last && (flags & O_PATH) && ::fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
        std::string target;
        if (!read_link(fd, "", target))
          return errno ? errno : ENAMETOOLONG;
        if (int err = follow(target))
          return err;
        continue;
      }
      if (last) {
        out = std::move(opened);
        return 0;
      }
      stack.push_back(std::move(opened));
      continue;
    }
    int err = errno;
    // O_NOFOLLOW on a link fails with ELOOP, or ENOTDIR together with O_DIRECTORY.
    if (err != ELOOP && err != ENOTDIR)
      return err;
    std::string target;
    if (!read_link(current(), name.c_str(), target))
      return err; // not a link after all: the original failure stands
    if (int follow_err = follow(target))
      return follow_err;
  }
  // The path named a directory we already hold ("", ".", "a/..", a link to "."): open it.
  int fd = ::openat(current(), ".", flags | O_CLOEXEC, mode);
  if (fd < 0)
    return errno;
  out.reset(fd);
  return 0;
}

} // namespace

int open_beneath(int root, const std::string& relative, int flags, mode_t mode, unique_fd& out,
                 beneath_mode how) {
  if (how == beneath_mode::openat2 && !openat2_missing.load(std::memory_order_relaxed)) {
    int err = open_with_openat2(root, relative, flags, mode, out);
    if (err != ENOSYS)
      return err;
    openat2_missing.store(true, std::memory_order_relaxed);
  }
  return open_with_walk(root, relative, flags, mode, out);
}

bool is_missing(int err) {
  return err == ENOENT || err == ENOTDIR;
}

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns a pointer that may or may not point into buf.
  return ::strerror_r(err, buf, sizeof(buf));
}

std::deque<std::string> split_components(const std::string& path) {
  std::deque<std::string> parts;
  size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    if (slash == std::string::npos)
      slash = path.size();
    if (slash > pos)
      parts.emplace_back(path, pos, slash - pos);
    pos = slash + 1;
  }
  return parts;
}

} // namespace baikal::detail
