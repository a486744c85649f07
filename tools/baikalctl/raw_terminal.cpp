#include "tools/baikalctl/raw_terminal.hpp"

#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <csignal>

namespace baikal::ctl {

namespace {

// What a fatal signal must restore before baikalctl dies of it.
int restore_fd = -1;
termios restore_settings{};

void restore_and_reraise(int sig) {
  ::tcsetattr(restore_fd, TCSAFLUSH, &restore_settings);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

} // namespace

raw_terminal::raw_terminal(int fd) : fd_(fd) {
  termios t{};
  if (!::isatty(fd) || ::tcgetattr(fd, &t) != 0)
    return;
  saved_ = t;
  restore_fd = fd;
  restore_settings = t;
  for (int sig : {SIGTERM, SIGHUP, SIGQUIT})
    ::signal(sig, restore_and_reraise);
  ::cfmakeraw(&t);
  ::tcsetattr(fd, TCSAFLUSH, &t);
}

raw_terminal::~raw_terminal() {
  if (!saved_)
    return;
  ::tcsetattr(fd_, TCSAFLUSH, &*saved_);
  for (int sig : {SIGTERM, SIGHUP, SIGQUIT})
    ::signal(sig, SIG_DFL);
  restore_fd = -1;
}

std::optional<std::pair<int, int>> terminal_size_of(int fd) {
  winsize ws{};
  if (!::isatty(fd) || ::ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
    return std::nullopt;
  return std::pair<int, int>{ws.ws_row, ws.ws_col};
}

} // namespace baikal::ctl
