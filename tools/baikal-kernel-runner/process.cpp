#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "handed_environ.hpp"

extern char** environ;

namespace baikal::kernel_runner {

namespace {

bool make_pipe(unique_fd& read_end, unique_fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return true;
}

bool open_pty(unique_fd& master, std::string& slave_path, std::string& error) {
  master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  char name[128];
  if (!master || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0 ||
      ::ptsname_r(master.get(), name, sizeof name) != 0) {
    error = std::string("cannot open a pseudo-terminal: ") + std::strerror(errno);
    return false;
  }
  slave_path = name;
  return true;
}

// The child's side of a pty: a session of its own with the terminal as its controlling one.
// Async-signal-safe calls only; false when the terminal cannot be opened.
bool attach_terminal(const char* slave_path, const terminal_size& size) {
  if (::setsid() < 0)
    return false;
  int slave = ::open(slave_path, O_RDWR);
  if (slave < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0)
    return false;
  winsize ws{};
  ws.ws_row = static_cast<unsigned short>(size.rows);
  ws.ws_col = static_cast<unsigned short>(size.cols);
  ::ioctl(slave, TIOCSWINSZ, &ws);
  for (int fd = 0; fd < 3; ++fd)
    ::dup2(slave, fd);
  if (slave > 2)
    ::close(slave);
  return true;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const spawn_spec& spec, char** argv, char** envp, int in, int out,
                             int err, int report, const char* slave_path) {
  int code = 0;
  if (spec.pty) {
    if (!attach_terminal(slave_path, *spec.pty))
      code = errno == 0 ? EIO : errno;
  } else {
    ::setpgid(0, 0);
  }
  // Dispositions set to a handler reset on exec, ignored ones do not; the runner ignores SIGPIPE.
  ::signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (!spec.pty) {
    if (in >= 0)
      ::dup2(in, 0);
    if (out >= 0)
      ::dup2(out, 1);
    if (err >= 0)
      ::dup2(err, 2);
  }
  if (code == 0 && !spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0)
    code = errno;
  if (code == 0) {
    ::execvpe(argv[0], argv, envp);
    code = errno;
  }
  [[maybe_unused]] auto n = ::write(report, &code, sizeof code);
  ::_exit(127);
}

} // namespace

child_process spawn_child(const spawn_spec& spec, std::string& error) {
  child_process child;
  if (spec.argv.empty()) {
    error = "empty command";
    return child;
  }
  unique_fd in_r, out_w, err_w, report_r, report_w, null_in, master;
  std::string slave_path;
  if (spec.pty) {
    if (!open_pty(master, slave_path, error))
      return child;
  } else if (spec.pipe_stdio) {
    if (!make_pipe(in_r, child.stdin_w) || !make_pipe(child.stdout_r, out_w) ||
        !make_pipe(child.stderr_r, err_w)) {
      error = std::string("pipe: ") + std::strerror(errno);
      return child;
    }
  } else {
    null_in.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }
  if (!make_pipe(report_r, report_w)) {
    error = std::string("pipe: ") + std::strerror(errno);
    return child;
  }
  adopt_handed_environ();
  // Build argv/envp before fork: the child must not allocate.
  std::vector<char*> argv;
  for (const auto& a : spec.argv)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  auto replaced = [&spec](const char* e) {
    for (const auto& extra : spec.extra_env) {
      auto eq = extra.find('=');
      if (eq != std::string::npos && std::strncmp(e, extra.c_str(), eq + 1) == 0)
        return true;
    }
    return false;
  };
  for (char** e = environ; e && *e; ++e)
    if (!replaced(*e))
      envp.push_back(*e);
  for (const auto& e : spec.extra_env)
    envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    return child;
  }
  if (pid == 0)
    exec_child(spec, argv.data(), envp.data(), spec.pipe_stdio ? in_r.get() : null_in.get(),
               out_w.get(), err_w.get(), report_w.get(), slave_path.c_str());
  // Both sides set the group, so a signal sent right after spawn cannot miss it (a pty's
  // child makes its own session, whose group has its pid as well).
  if (!spec.pty)
    ::setpgid(pid, pid);
  report_w.reset();
  int code = 0;
  ssize_t n;
  do
    n = ::read(report_r.get(), &code, sizeof code);
  while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof code)) {
    ::waitpid(pid, nullptr, 0);
    error = "cannot run " + spec.argv[0] + ": " + std::strerror(code);
    return child_process{};
  }
  child.pid = pid;
  if (spec.pty) {
    child.stdin_w.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
    child.stdout_r = std::move(master);
  }
  for (int fd : {child.stdout_r.get(), child.stderr_r.get(), child.stdin_w.get()})
    if (fd >= 0)
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return child;
}

bool set_terminal_size(int master_fd, terminal_size size) {
  winsize ws{};
  ws.ws_row = static_cast<unsigned short>(size.rows);
  ws.ws_col = static_cast<unsigned short>(size.cols);
  return ::ioctl(master_fd, TIOCSWINSZ, &ws) == 0;
}

void signal_group(pid_t pgid, int sig) {
  if (pgid > 1)
    ::kill(-pgid, sig);
}

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status))
    return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status))
    return 128 + WTERMSIG(wait_status);
  return -1;
}

} // namespace baikal::kernel_runner
