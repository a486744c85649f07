#pragma once

/// A program the test starts (a real baikal-agent, baikal-manager, baikal-sim), its stdout and
/// stderr going to a file the test reads (truncated, or appended to so a restarted program
/// keeps one log); terminated with SIGKILL when the test forgets to stop it.

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

class child_process {
public:
  enum class log_mode { truncate, append };

  child_process(const std::vector<std::string>& argv, std::string log_path,
                log_mode mode = log_mode::truncate)
      : log_path_(std::move(log_path)) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(
        &actions, 1, log_path_.c_str(),
        O_WRONLY | O_CREAT | (mode == log_mode::append ? O_APPEND : O_TRUNC), 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
      throw std::runtime_error("cannot start " + argv[0]);
  }
  ~child_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Sends `sig` and waits for the exit; answers the exit code (128 + signal when killed).
  int stop(int sig = SIGTERM) {
    if (pid_ <= 0)
      return -1;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// SIGTERM, then SIGKILL when it still runs after `grace`; answers the exit code as stop()
  /// does.
  int stop_within(std::chrono::seconds grace) {
    if (pid_ <= 0)
      return -1;
    ::kill(pid_, SIGTERM);
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

  /// Waits at most `limit` for the program to end by itself; answers its exit code as stop()
  /// does, or -1 when it still runs.
  int wait_for(std::chrono::seconds limit) {
    if (pid_ <= 0)
      return -1;
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline)
        return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// Sends `sig` without waiting (SIGSTOP, SIGCONT); false when the program is not running.
  bool signal(int sig) { return pid_ > 0 && ::kill(pid_, sig) == 0; }

  /// Waits for the program to end by itself; answers its exit code as stop() does.
  int wait() {
    if (pid_ <= 0)
      return -1;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// Everything the program wrote so far.
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
