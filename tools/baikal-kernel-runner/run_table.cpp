#include "run_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "request.hpp"

namespace baikal::kernel_runner {

namespace {

// Output buffered per run before we stop reading its pipes: the child then blocks on write,
// which is the back-pressure we want instead of unbounded memory.
constexpr size_t max_buffered_output = 4u * 1024u * 1024u;
// How long to wait for pipe EOF after the stage's process exited: a background grandchild may
// hold the pipes open forever, and the run must still finish.
constexpr auto pipe_grace = std::chrono::milliseconds(250);
// Finished runs nobody collected are kept up to this many.
constexpr size_t max_runs = 256;

std::string make_run_id() {
  static std::mt19937_64 gen{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return buf;
}

// The process group of `pid` from /proc/PID/stat (field 5, after the parenthesised name).
pid_t process_group_of(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos)
    return -1;
  char state = 0;
  int ppid = 0, pgrp = -1;
  if (std::sscanf(stat.c_str() + close + 1, " %c %d %d", &state, &ppid, &pgrp) != 3)
    return -1;
  return pgrp;
}

// Whether the syscall `pid` is blocked in waits for fd 0: read(0, ...), or poll/ppoll on the
// single descriptor 0 (busybox's `read` builtin polls first). The pollfd is read from the
// process's memory; both need the same ptrace access as /proc/PID/syscall itself.
bool blocked_on_stdin(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/syscall");
  long nr = -1;
  std::string arg0, arg1;
  if (!(in >> nr >> arg0 >> arg1))
    return false;
  unsigned long first = std::strtoul(arg0.c_str(), nullptr, 16);
  if (nr == SYS_read)
    return first == 0;
  bool is_poll = nr == SYS_ppoll;
#ifdef SYS_poll
  is_poll = is_poll || nr == SYS_poll;
#endif
  if (!is_poll || std::strtoul(arg1.c_str(), nullptr, 16) != 1)
    return false;
  unique_fd mem(::open(("/proc/" + pid + "/mem").c_str(), O_RDONLY | O_CLOEXEC));
  pollfd watched{};
  if (!mem || ::pread(mem.get(), &watched, sizeof watched, static_cast<off_t>(first)) !=
                  static_cast<ssize_t>(sizeof watched))
    return false;
  return watched.fd == 0 && (watched.events & POLLIN) != 0;
}

// Whether `pid` waits on its stdin and that stdin is the pipe whose inode is `pipe_inode`.
bool blocked_reading_pipe(const std::string& pid, ino_t pipe_inode) {
  if (!blocked_on_stdin(pid))
    return false;
  char target[64] = {};
  auto path = "/proc/" + pid + "/fd/0";
  if (::readlink(path.c_str(), target, sizeof target - 1) < 0)
    return false;
  return std::string(target) == "pipe:[" + std::to_string(pipe_inode) + "]";
}

} // namespace

std::string run_table::start(std::string run_id, std::deque<std::vector<std::string>> stages,
                             std::optional<double> exec_timeout) {
  if (run_id.empty() || runs_.count(run_id))
    run_id = run_id.empty() ? make_run_id() : run_id + "-" + make_run_id().substr(0, 6);
  run& r = runs_[run_id];
  r.id = run_id;
  r.seq = next_seq_++;
  r.stages = std::move(stages);
  if (exec_timeout && *exec_timeout > 0)
    r.exec_deadline = after_seconds(clock_type::now(), *exec_timeout);
  start_next_stage(r);
  trim_finished();
  return run_id;
}

std::string run_table::start_terminal(std::string run_id, std::vector<std::string> argv,
                                      terminal_size size, std::vector<std::string> env) {
  if (run_id.empty() || runs_.count(run_id))
    run_id = run_id.empty() ? make_run_id() : run_id + "-" + make_run_id().substr(0, 6);
  run& r = runs_[run_id];
  r.id = run_id;
  r.seq = next_seq_++;
  r.stages.push_back(std::move(argv));
  r.pty = size;
  r.env = std::move(env);
  start_next_stage(r);
  trim_finished();
  return run_id;
}

bool run_table::resize(run& r, terminal_size size) {
  if (!r.pty || !r.child.stdin_w)
    return false;
  r.pty = size;
  return set_terminal_size(r.child.stdin_w.get(), size);
}

void run_table::cancel(run& r, double grace) {
  if (r.finished || r.child.pid <= 0)
    return;
  r.stages.clear();
  signal_group(r.child.pid, SIGHUP);
  signal_group(r.child.pid, SIGCONT);
  r.stdin_pending.clear();
  r.child.stdin_w.reset();
  if (r.pty)
    r.child.stdout_r.reset(); // the terminal's last master: the kernel hangs it up
  if (!r.child_exited)
    r.kill_at = after_seconds(clock_type::now(), grace);
}

void run_table::start_next_stage(run& r) {
  if (r.stages.empty()) {
    r.finished = true;
    return;
  }
  spawn_spec spec{std::move(r.stages.front()), workdir_, true, r.env, r.pty};
  r.stages.pop_front();
  std::string error;
  r.child = spawn_child(spec, error);
  r.child_exited = false;
  if (r.child.pid < 0) {
    append(r, true, "baikal-kernel-runner: " + error + "\n");
    r.exit_code = 127;
    r.stages.clear();
    r.finished = true;
  }
}

run* run_table::find(const std::string& id) {
  auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : &it->second;
}

run* run_table::latest() {
  run* best = nullptr;
  for (auto& [id, r] : runs_)
    if (!best || r.seq > best->seq)
      best = &r;
  return best;
}

void run_table::erase(const std::string& id) {
  runs_.erase(id);
}

bool run_table::write_input(run& r, std::string text) {
  if (!r.child.stdin_w)
    return false;
  r.stdin_pending += text;
  flush_input(r.id);
  return true;
}

void run_table::flush_input(const std::string& id) {
  run* r = find(id);
  if (!r || !r->child.stdin_w)
    return;
  while (!r->stdin_pending.empty()) {
    ssize_t n = ::write(r->child.stdin_w.get(), r->stdin_pending.data(), r->stdin_pending.size());
    if (n > 0) {
      r->stdin_pending.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EINTR))
      continue;
    if (n < 0 && errno != EAGAIN) {
      // The reader is gone (EPIPE): the input has nowhere to go.
      r->stdin_pending.clear();
      r->child.stdin_w.reset();
    }
    return;
  }
}

std::vector<console_chunk> run_table::take_console(run& r) {
  r.console_bytes = 0;
  return std::exchange(r.console, {});
}

void run_table::append(run& r, bool is_stderr, std::string text) {
  if (text.empty())
    return;
  r.console_bytes += text.size();
  // Merge with the previous chunk of the same stream: fewer, larger chunks, same order.
  if (!r.console.empty() && r.console.back().is_stderr == is_stderr)
    r.console.back().data += text;
  else
    r.console.push_back(console_chunk{is_stderr, std::move(text)});
}

void run_table::read_output(const std::string& id, bool is_stderr) {
  run* r = find(id);
  if (!r)
    return;
  unique_fd& fd = is_stderr ? r->child.stderr_r : r->child.stdout_r;
  utf8_stream& text = is_stderr ? r->err_text : r->out_text;
  char buf[65536];
  while (fd && r->console_bytes < max_buffered_output) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n > 0) {
      append(*r, is_stderr, text.feed(std::string_view(buf, static_cast<size_t>(n))));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      return;
    } else {
      append(*r, is_stderr, text.finish());
      fd.reset();
    }
  }
}

bool run_table::waits_for_input(const run& r) const {
  // A shell on a terminal reads its terminal all the time: there is nothing to report.
  if (r.pty || r.finished || r.child_exited || !r.child.stdin_w || r.child.pid <= 0)
    return false;
  struct stat st {};
  if (::fstat(r.child.stdin_w.get(), &st) != 0)
    return false;
  DIR* proc = ::opendir("/proc");
  if (!proc)
    return false;
  bool waiting = false;
  while (dirent* entry = ::readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
      continue;
    if (process_group_of(entry->d_name) == r.child.pid &&
        blocked_reading_pipe(entry->d_name, st.st_ino)) {
      waiting = true;
      break;
    }
  }
  ::closedir(proc);
  return waiting;
}

bool run_table::on_child_exit(pid_t pid, int wait_status) {
  for (auto& [id, r] : runs_) {
    if (r.child.pid == pid && !r.child_exited) {
      r.child_exited = true;
      r.exit_code = exit_code_of(wait_status);
      r.exited_at = clock_type::now();
      return true;
    }
  }
  return false;
}

void run_table::tick(time_point now) {
  for (auto& [id, r] : runs_) {
    if (r.finished)
      continue;
    if (r.kill_at && now >= *r.kill_at) {
      r.kill_at.reset();
      if (!r.child_exited)
        signal_group(r.child.pid, SIGKILL);
    }
    if (r.exec_deadline && now >= *r.exec_deadline && !r.timed_out) {
      r.timed_out = true;
      r.stages.clear();
      signal_group(r.child.pid, SIGKILL);
    }
    if (!r.child_exited)
      continue;
    // Drain what is already in the pipes before deciding, so no output is lost.
    read_output(id, false);
    read_output(id, true);
    bool drained = !r.child.stdout_r && !r.child.stderr_r;
    if (!drained && now - r.exited_at < pipe_grace)
      continue;
    append(r, false, r.out_text.finish());
    append(r, true, r.err_text.finish());
    r.child = child_process{};
    if (r.exit_code == 0 && !r.stages.empty() && !r.timed_out)
      start_next_stage(r);
    else
      r.finished = true;
  }
}

std::optional<time_point> run_table::next_deadline() const {
  std::optional<time_point> next;
  auto consider = [&](time_point t) {
    if (!next || t < *next)
      next = t;
  };
  for (const auto& [id, r] : runs_) {
    if (r.finished)
      continue;
    if (r.exec_deadline && !r.timed_out)
      consider(*r.exec_deadline);
    if (r.kill_at)
      consider(*r.kill_at);
    if (r.child_exited)
      consider(r.exited_at + pipe_grace);
  }
  return next;
}

void run_table::register_fds(poll_set& set) {
  for (auto& [id, r] : runs_) {
    if (r.finished)
      continue;
    if (r.console_bytes < max_buffered_output) {
      if (r.child.stdout_r)
        set.add(r.child.stdout_r.get(), POLLIN, [this, id = id](short) { read_output(id, false); });
      if (r.child.stderr_r)
        set.add(r.child.stderr_r.get(), POLLIN, [this, id = id](short) { read_output(id, true); });
    }
    if (r.child.stdin_w && !r.stdin_pending.empty())
      set.add(r.child.stdin_w.get(), POLLOUT, [this, id = id](short) { flush_input(id); });
  }
}

void run_table::signal_all(int sig) {
  for (auto& [id, r] : runs_)
    if (!r.finished && !r.child_exited)
      signal_group(r.child.pid, sig);
}

bool run_table::any_alive() const {
  for (const auto& [id, r] : runs_)
    if (!r.finished && r.child.pid > 0 && !r.child_exited)
      return true;
  return false;
}

void run_table::trim_finished() {
  while (runs_.size() > max_runs) {
    auto oldest = runs_.end();
    for (auto it = runs_.begin(); it != runs_.end(); ++it)
      if (it->second.finished && (oldest == runs_.end() || it->second.seq < oldest->second.seq))
        oldest = it;
    if (oldest == runs_.end())
      return;
    runs_.erase(oldest);
  }
}

} // namespace baikal::kernel_runner
