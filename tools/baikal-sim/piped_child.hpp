#pragma once

/// A child process whose stdin and stdout are pipes to this process (stderr is shared). The
/// child is bound to this process's life twice over: it is told to die with it
/// (PR_SET_PDEATHSIG) and it sees EOF on its stdin once this process closes the pipe or ends,
/// so no child outlives a crashed or killed parent. Not copyable; the destructor kills and
/// reaps a child that is still running.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace baikal::sim {

class piped_child {
public:
  /// Starts `path` with `args` (argv[0] is `path`). Call it from a thread that lives as long
  /// as the child should: PR_SET_PDEATHSIG fires when the thread that forked ends.
  static caf::expected<piped_child> start(const std::string& path,
                                          const std::vector<std::string>& args);

  piped_child() = default;
  piped_child(piped_child&& other) noexcept;
  piped_child& operator=(piped_child&& other) noexcept;
  piped_child(const piped_child&) = delete;
  piped_child& operator=(const piped_child&) = delete;
  ~piped_child();

  pid_t pid() const { return pid_; }

  /// The next line the child wrote (without the newline), waiting until `deadline`: timeout
  /// when none came in time, unavailable when the child closed its stdout.
  caf::expected<std::string> read_line(std::chrono::steady_clock::time_point deadline);

  /// Closes the child's stdin: the child's sign to finish.
  void close_stdin();

  /// Waits for the child to exit; answers its exit code (128 + signal when killed).
  int wait();

  /// Sends SIGKILL and reaps the child, when it still runs.
  void kill();

private:
  pid_t pid_ = -1;
  int stdin_ = -1;  ///< write end of the child's stdin
  int stdout_ = -1; ///< read end of the child's stdout
  std::string buffered_;
  bool eof_ = false;
};

/// The path of the running program (/proc/self/exe resolved).
caf::expected<std::string> own_executable();

} // namespace baikal::sim
