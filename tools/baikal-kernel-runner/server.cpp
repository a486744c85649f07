#include "server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "json_reply.hpp"
#include "runtime/paths/socket_path.hpp"

namespace baikal::kernel_runner {

namespace {

int signal_write_fd = -1;

// Async-signal-safe: only write(2). The loop reads the signal number from the pipe.
void on_signal(int sig) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] auto n = ::write(signal_write_fd, &byte, 1);
  errno = saved;
}

void log_line(const std::string& text) {
  std::fprintf(stderr, "baikal-kernel-runner: %s\n", text.c_str());
}

} // namespace

server::server(options opts)
    : opts_(std::move(opts)), runs_(opts_.workdir),
      services_(opts_.services_path, opts_.workdir, opts_.kill_grace) {}

bool server::listen_socket(std::string& error) {
  // In a kernel the path is short (/home/config/runner.sock); elsewhere it may be deep.
  auto socket = paths::socket_path::reach(opts_.socket_path, error);
  if (!socket)
    return false;
  auto addr = socket->address();
  listener_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  // A socket file left by a previous runner of this kernel (restart) would make bind fail.
  ::unlink(opts_.socket_path.c_str());
  if (!listener_ ||
      ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), socket->address_size()) != 0 ||
      ::listen(listener_.get(), 64) != 0) {
    error = "cannot listen on " + opts_.socket_path + ": " + std::strerror(errno);
    return false;
  }
  // The agent may run as another user than the kernel (a root runner, a non-root agent).
  ::chmod(opts_.socket_path.c_str(), 0666);
  return true;
}

int server::serve() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    log_line(std::string("pipe: ") + std::strerror(errno));
    return 1;
  }
  signal_read_.reset(fds[0]);
  signal_write_fd = fds[1];
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP})
    ::sigaction(sig, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  // Outside a container (tests) orphans of user code would go to the host's init; adopt them
  // so the runner reaps them exactly as it does as PID 1.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::string error;
  if (!listen_socket(error)) {
    log_line(error);
    return 1;
  }
  if (auto failed = drop_privileges(opts_.user); !failed.empty()) {
    log_line("cannot run as the kernel's user: " + failed);
    return 1;
  }
  log_line("listening on " + opts_.socket_path);
  poll_set set;
  while (!stopping_) {
    build_poll_set(set);
    int n = ::poll(set.fds.data(), set.fds.size(), poll_timeout_ms(clock_type::now()));
    if (n < 0 && errno != EINTR) {
      log_line(std::string("poll: ") + std::strerror(errno));
      break;
    }
    for (size_t i = 0; n > 0 && i < set.fds.size(); ++i)
      if (set.fds[i].revents != 0)
        set.handlers[i](set.fds[i].revents);
    reap_children();
    auto now = clock_type::now();
    runs_.tick(now);
    services_.tick(now);
    settle_waiters(now);
  }
  stop_everything();
  return 0;
}

void server::build_poll_set(poll_set& set) {
  set.clear();
  set.add(signal_read_.get(), POLLIN, [this](short) { drain_signals(); });
  set.add(listener_.get(), POLLIN, [this](short) { accept_clients(); });
  for (auto& [id, c] : conns_) {
    short events = c.closing ? 0 : POLLIN;
    if (!c.out.empty())
      events |= POLLOUT;
    set.add(c.fd.get(), events, [this, id = id](short revents) {
      if (revents & POLLOUT)
        write_client(id);
      if (revents & (POLLIN | POLLHUP | POLLERR))
        read_client(id);
    });
  }
  runs_.register_fds(set);
}

int server::poll_timeout_ms(time_point now) const {
  std::optional<time_point> next = runs_.next_deadline();
  auto consider = [&](std::optional<time_point> t) {
    if (t && (!next || *t < *next))
      next = t;
  };
  consider(services_.next_deadline());
  for (const auto& w : waiters_) {
    consider(w.deadline);
    if (w.kind == waiter::run_output)
      consider(w.next_probe);
  }
  if (!next)
    return 1000; // nothing timed; still wake now and then in case a signal byte was lost
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now).count() + 1;
  return static_cast<int>(std::clamp<long long>(ms, 0, 1000));
}

void server::accept_clients() {
  for (;;) {
    int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
      return;
    conns_[next_conn_++].fd.reset(fd);
  }
}

void server::read_client(uint64_t conn_id) {
  auto it = conns_.find(conn_id);
  if (it == conns_.end())
    return;
  char buf[65536];
  ssize_t n = ::read(it->second.fd.get(), buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n <= 0) {
    if (it->second.decoder.pending_bytes() > 0)
      log_line("a client left in the middle of a frame (" +
               std::to_string(it->second.decoder.pending_bytes()) + " bytes)");
    conns_.erase(it);
    waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(),
                                  [&](const waiter& w) { return w.conn == conn_id; }),
                   waiters_.end());
    return;
  }
  it->second.decoder.feed(buf, static_cast<size_t>(n));
  while (auto payload = it->second.decoder.next()) {
    handle_frame(conn_id, *payload);
    it = conns_.find(conn_id);
    if (it == conns_.end())
      return;
  }
  if (it->second.decoder.failed() && !it->second.closing) {
    // Mark first: send() closes a closing connection as soon as its answer is written.
    it->second.closing = true;
    send(conn_id,
         error_reply("null", "frame_too_large",
                     "a frame announced " + std::to_string(it->second.decoder.rejected_size()) +
                         " bytes; the limit is " + std::to_string(runner::max_frame_size) +
                         "; closing the connection"));
  }
}

void server::write_client(uint64_t conn_id) {
  auto it = conns_.find(conn_id);
  if (it == conns_.end())
    return;
  connection& c = it->second;
  while (!c.out.empty()) {
    ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      return;
    } else {
      conns_.erase(it);
      return;
    }
  }
  if (c.closing)
    conns_.erase(it);
}

void server::send(uint64_t conn_id, std::string json) {
  auto it = conns_.find(conn_id);
  if (it == conns_.end())
    return;
  it->second.out += runner::encode_frame(json);
  // Write at once: most answers fit the socket buffer, which saves a loop turn of latency.
  write_client(conn_id);
}

void server::drain_signals() {
  unsigned char sigs[64];
  ssize_t n;
  while ((n = ::read(signal_read_.get(), sigs, sizeof sigs)) > 0)
    for (ssize_t i = 0; i < n; ++i)
      if (sigs[i] == SIGTERM || sigs[i] == SIGINT || sigs[i] == SIGHUP)
        stopping_ = true;
}

void server::reap_children() {
  int status = 0;
  pid_t pid;
  // Reap everything, including orphans re-parented to us: we are PID 1 in the container.
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0)
    if (!runs_.on_child_exit(pid, status))
      services_.on_child_exit(pid, status);
}

void server::stop_everything() {
  log_line("stopping");
  listener_.reset();
  ::unlink(opts_.socket_path.c_str());
  conns_.clear();
  runs_.signal_all(SIGTERM);
  services_.signal_all(SIGTERM);
  auto deadline = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                          std::chrono::duration<double>(opts_.kill_grace));
  while ((runs_.any_alive() || services_.any_alive()) && clock_type::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    reap_children();
  }
  runs_.signal_all(SIGKILL);
  services_.signal_all(SIGKILL);
  reap_children();
}

} // namespace baikal::kernel_runner
