#pragma once

/// A daemon of the cluster tests (baikal-manager or baikal-agent) run inside a network namespace
/// through `ip netns exec`, which execs the program itself: the pid is the daemon's, so signals
/// reach it directly. Its output is appended to a log file the test reads, so a restarted node
/// keeps one log. Stopped with SIGTERM, then SIGKILL after a grace period; killed when the test
/// forgets it.

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "support/child_process.hpp"

namespace baikal::test {

/// The `ip` command: the test runs as root, whose PATH may or may not hold sbin.
inline std::string ip_command() {
  for (auto* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"})
    if (::access(path, X_OK) == 0)
      return path;
  throw std::runtime_error("the ip command (iproute2) is missing");
}

/// `argv` prefixed with `ip netns exec NETNS`.
inline std::vector<std::string> in_netns(const std::string& netns,
                                         const std::vector<std::string>& argv) {
  std::vector<std::string> full{ip_command(), "netns", "exec", netns};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

class node_process {
public:
  /// Starts `argv` in namespace `netns`, appending its stdout and stderr to `log_path`.
  node_process(const std::string& netns, const std::vector<std::string>& argv, std::string log_path)
      : process_(in_netns(netns, argv), std::move(log_path), child_process::log_mode::append) {}

  /// SIGTERM, then SIGKILL when it still runs after `grace`; answers the exit code (128 +
  /// signal when killed), -1 when it was already stopped.
  int stop(std::chrono::seconds grace = std::chrono::seconds{60}) {
    return process_.stop_within(grace);
  }

  /// Sends `sig` (SIGKILL: a crash) and reaps the process; answers as stop() does.
  int kill(int sig) { return process_.stop(sig); }

  /// Sends `sig` and does not wait (SIGSTOP: a paused process; SIGCONT).
  bool signal(int sig) { return process_.signal(sig); }

  /// Waits at most `limit` for the node to end by itself; its exit code, -1 when it still runs.
  int wait_for(std::chrono::seconds limit) { return process_.wait_for(limit); }

  /// Everything the node wrote so far, restarts included.
  std::string output() const { return process_.output(); }

  bool wrote(const std::string& text) const { return process_.wrote(text); }

private:
  child_process process_;
};

} // namespace baikal::test
