#include "tools/baikal-sim/piped_child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "messages/errors.hpp"

namespace baikal::sim {

namespace {

void close_fd(int& fd) {
  if (fd >= 0)
    ::close(fd);
  fd = -1;
}

/// Closes every descriptor above stderr in a forked child, so that it holds no copy of the
/// parent's sockets or of its siblings' pipes (a sibling holding the write end of another
/// child's stdin would keep that child from ever seeing EOF). Only async-signal-safe calls.
void close_inherited_fds() {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 3U, UINT_MAX, 0U) == 0)
    return;
#endif
  rlimit lim{};
  long top = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
                 ? static_cast<long>(lim.rlim_cur)
                 : 65536;
  for (long fd = 3; fd < top; ++fd)
    ::close(static_cast<int>(fd));
}

/// The forked child's side: pipes on stdin and stdout, death with the parent, then exec. Runs
/// between fork and exec of a multi-threaded parent, so only async-signal-safe calls.
[[noreturn]] void become_child(pid_t parent, int in_read, int out_write, char* const* argv) {
  ::dup2(in_read, STDIN_FILENO);
  ::dup2(out_write, STDOUT_FILENO);
  close_inherited_fds();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died before prctl took effect.
  if (::getppid() != parent)
    ::_exit(127);
  ::execv(argv[0], argv);
  ::_exit(127);
}

} // namespace

caf::expected<piped_child> piped_child::start(const std::string& path,
                                              const std::vector<std::string>& args) {
  std::vector<std::string> all{path};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    return make_error(errc::runtime_error, "cannot make a pipe: " + std::string{strerror(errno)});
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return make_error(errc::runtime_error, "cannot make a pipe: " + std::string{strerror(errno)});
  }
  auto parent = ::getpid();
  auto pid = ::fork();
  if (pid == 0)
    become_child(parent, in[0], out[1], argv.data());
  ::close(in[0]);
  ::close(out[1]);
  if (pid < 0) {
    ::close(in[1]);
    ::close(out[0]);
    return make_error(errc::runtime_error,
                      "cannot start " + path + ": " + std::string{strerror(errno)});
  }
  piped_child c;
  c.pid_ = pid;
  c.stdin_ = in[1];
  c.stdout_ = out[0];
  return c;
}

piped_child::piped_child(piped_child&& other) noexcept {
  *this = std::move(other);
}

piped_child& piped_child::operator=(piped_child&& other) noexcept {
  if (this != &other) {
    kill();
    pid_ = std::exchange(other.pid_, -1);
    stdin_ = std::exchange(other.stdin_, -1);
    stdout_ = std::exchange(other.stdout_, -1);
    buffered_ = std::move(other.buffered_);
    eof_ = other.eof_;
  }
  return *this;
}

piped_child::~piped_child() {
  kill();
}

caf::expected<std::string> piped_child::read_line(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      auto line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    if (eof_ || stdout_ < 0)
      return make_error(errc::unavailable, "the process closed its output");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return make_error(errc::timeout, "no line from the process in time");
    pollfd p{stdout_, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
    if (n < 0 && errno != EINTR)
      return make_error(errc::runtime_error, "poll: " + std::string{strerror(errno)});
    if (n <= 0)
      continue;
    char buf[4096];
    auto got = ::read(stdout_, buf, sizeof buf);
    if (got > 0)
      buffered_.append(buf, static_cast<size_t>(got));
    else if (got == 0 || errno != EINTR)
      eof_ = true;
  }
}

void piped_child::close_stdin() {
  close_fd(stdin_);
}

int piped_child::wait() {
  close_stdin();
  close_fd(stdout_);
  if (pid_ <= 0)
    return -1;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void piped_child::kill() {
  if (pid_ > 0)
    ::kill(pid_, SIGKILL);
  wait();
}

caf::expected<std::string> own_executable() {
  char buf[PATH_MAX];
  auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    return make_error(errc::runtime_error,
                      "cannot find this program's path: " + std::string{strerror(errno)});
  return std::string{buf, static_cast<size_t>(n)};
}

} // namespace baikal::sim
