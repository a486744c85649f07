#pragma once

/// Starting children in their own process group, and signalling those groups.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/paths/unique_fd.hpp"

namespace baikal::kernel_runner {

/// A terminal's size in characters.
struct terminal_size {
  int rows = 24;
  int cols = 80;
};

/// What to start and how to wire it.
struct spawn_spec {
  std::vector<std::string> argv;
  std::string cwd;
  /// true: stdin/stdout/stderr are pipes back to the runner; false: stdin is /dev/null and
  /// stdout/stderr go to the runner's own (the container log), as services want.
  bool pipe_stdio = true;
  std::vector<std::string> extra_env; ///< "K=V" added to (or replacing in) the runner's environment
  /// Set: the child gets a new pseudo-terminal of this size as its stdin, stdout, stderr and
  /// controlling terminal, in a session of its own (pipe_stdio is ignored).
  std::optional<terminal_size> pty;
};

/// A started child; its pid is also its process group id. With a pty, stdout_r and stdin_w
/// are both the terminal's master side and stderr_r is empty.
struct child_process {
  pid_t pid = -1;
  unique_fd stdin_w;
  unique_fd stdout_r;
  unique_fd stderr_r;
};

/// Sets the size of the terminal whose master side is `master_fd`; the kernel tells the
/// terminal's foreground process group (SIGWINCH). False when it is not a terminal.
bool set_terminal_size(int master_fd, terminal_size size);

/// Starts `spec`; on failure (fork, chdir or exec) returns pid -1 and fills `error`. The exec
/// error travels back through a close-on-exec pipe, so a missing program is reported here
/// instead of as a mysterious exit code 127 later.
child_process spawn_child(const spawn_spec& spec, std::string& error);

/// Sends `sig` to the whole process group `pgid` (no-op for pgid <= 1, which would hit us).
void signal_group(pid_t pgid, int sig);

/// An exit status as a shell reports it: the exit code, or 128 + signal number.
int exit_code_of(int wait_status);

} // namespace baikal::kernel_runner
