#pragma once

/// A daemon of the cluster tests (baikal-manager or baikal-agent) run inside a network namespace
/// through `ip netns exec`, which execs the program itself: the pid is the daemon's, so signals
/// reach it directly. Its output is appended to a log file the test reads, so a restarted node
/// keeps one log. Stopped with SIGTERM, then SIGKILL after a grace period; killed when the test
/// forgets it.

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace baikal::test {

/// The `ip` command: the test runs as root, whose PATH may or may not hold sbin.
inline std::string ip_command() {
  for (auto* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"})
    if (::access(path, X_OK) == 0)
      return path;
  throw std::runtime_error("the ip command (iproute2) is missing");
}

class node_process {
public:
  /// Starts `argv` in namespace `netns`, appending its stdout and stderr to `log_path`.
  node_process(const std::string& netns, const std::vector<std::string>& argv, std::string log_path)
      : log_path_(std::move(log_path)) {
    std::vector<std::string> full{ip_command(), "netns", "exec", netns};
    full.insert(full.end(), argv.begin(), argv.end());
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (auto& a : full)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
      throw std::runtime_error("cannot start " + argv.at(0) + " in " + netns);
  }
  ~node_process() { stop(std::chrono::seconds{0}); }
  node_process(const node_process&) = delete;
  node_process& operator=(const node_process&) = delete;

  /// SIGTERM, then SIGKILL when it still runs after `grace`; answers the exit code (128 +
  /// signal when killed), -1 when it was already stopped.
  int stop(std::chrono::seconds grace = std::chrono::seconds{60}) {
    if (pid_ <= 0)
      return -1;
    ::kill(pid_, grace.count() > 0 ? SIGTERM : SIGKILL);
    auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// Sends `sig` (SIGKILL: a crash) and reaps the process; answers as stop() does.
  int kill(int sig) {
    if (pid_ <= 0)
      return -1;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// Everything the node wrote so far, restarts included.
  std::string output() const {
    std::ifstream in{log_path_};
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  bool wrote(const std::string& text) const { return output().find(text) != std::string::npos; }

private:
  pid_t pid_ = -1;
  std::string log_path_;
};

} // namespace baikal::test
