#pragma once

/// A real baikal-kernel-runner on the host (no Docker), for tests that talk to it with
/// runner_client. The binary is $BAIKAL_KERNEL_RUNNER, else
/// ../tools/baikal-kernel-runner/baikal-kernel-runner next to the test executable.

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "runtime/runner/runner_client.hpp"

namespace baikal::test {

inline std::string runner_binary() {
  if (const char* env = std::getenv("BAIKAL_KERNEL_RUNNER"))
    return env;
  auto self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path().parent_path() / "tools/baikal-kernel-runner/baikal-kernel-runner")
      .string();
}

/// Polls `done` every 5 ms until it holds or `timeout` passes.
template <class Predicate>
bool soon(Predicate done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

/// A runner process with its own temporary directory; stopped and cleaned up on destruction.
struct runner_process {
  std::filesystem::path dir;
  std::string socket;
  pid_t pid = -1;

  /// `socket_depth`: the socket's directory is at least that long (a deep scratch root).
  explicit runner_process(size_t socket_depth = 0) {
    char tmpl[] = "/tmp/baikal-runner-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    std::filesystem::create_directory(dir / "work");
    std::ofstream(dir / "services.json")
        << R"({"sleeper": {"command": ["sleep", "1000"], "port": 8080, "protocol": "http"},)"
        << R"( "broken": {"command": ["/nonexistent/program"], "port": 1}})";
    auto socket_dir = dir;
    while (socket_dir.string().size() < socket_depth)
      socket_dir /= "0123456789abcdef0123456789abcdef01234567";
    std::filesystem::create_directories(socket_dir);
    socket = (socket_dir / "runner.sock").string();
    start();
  }

  /// Starts the runner on `socket` (again, after terminate(): as a kernel's restarted runner).
  void start() {
    auto binary = runner_binary();
    REQUIRE_MESSAGE(
        ::access(binary.c_str(), X_OK) == 0,
        "build the baikal-kernel-runner target or set BAIKAL_KERNEL_RUNNER: " << binary);
    std::string work = (dir / "work").string(), services = (dir / "services.json").string();
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::execl(binary.c_str(), binary.c_str(), "--socket", socket.c_str(), "--workdir", work.c_str(),
              "--services", services.c_str(), "--runtime", "/bin/sh -c", "--kill-grace", "0.5",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    REQUIRE_MESSAGE(soon([&] { return runner::runner_client(socket).health().engaged(); }),
                    "the runner did not answer health");
  }

  /// Sends SIGTERM and returns the exit status (-1 if it did not exit in time).
  int terminate() {
    if (pid <= 0)
      return -1;
    ::kill(pid, SIGTERM);
    int status = -1;
    bool exited = soon([&] { return ::waitpid(pid, &status, WNOHANG) == pid; });
    if (!exited) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
    pid = -1;
    return exited ? status : -1;
  }

  ~runner_process() {
    terminate();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

} // namespace baikal::test
