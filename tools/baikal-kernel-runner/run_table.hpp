#pragma once

/// Runs of user code: each a chain of stages (one for a query, build then exec for a batch),
/// each stage a child in its own process group with piped stdio.

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "poll_set.hpp"
#include "process.hpp"
#include "utf8.hpp"

namespace baikal::kernel_runner {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// One ordered piece of output.
struct console_chunk {
  bool is_stderr = false;
  std::string data;
};

/// One execution and the output not yet handed to the agent.
struct run {
  std::string id;
  uint64_t seq = 0;
  std::deque<std::vector<std::string>> stages; ///< argv of the stages not started yet
  child_process child;                         ///< the current stage
  bool child_exited = false;
  int exit_code = 0;
  time_point exited_at;
  std::vector<console_chunk> console;
  size_t console_bytes = 0;
  utf8_stream out_text, err_text;
  std::string stdin_pending; ///< input not yet accepted by the pipe
  std::optional<time_point> exec_deadline;
  bool timed_out = false;
  bool finished = false;
  std::optional<terminal_size> pty;  ///< set: the run is a shell on a terminal
  std::vector<std::string> env;      ///< "K=V" for its stages
  std::optional<time_point> kill_at; ///< cancelled: SIGKILL then if it still runs
};

/// Owns every run; driven by the server's poll loop.
class run_table {
public:
  explicit run_table(std::string workdir) : workdir_(std::move(workdir)) {}

  /// Starts a run (generating an id when `run_id` is empty) and returns its id. A stage that
  /// cannot start finishes the run at once with exit code 127 and the reason on stderr.
  std::string start(std::string run_id, std::deque<std::vector<std::string>> stages,
                    std::optional<double> exec_timeout);

  /// Starts `argv` on a new terminal of `size`, with `env` ("K=V") added; returns its id.
  std::string start_terminal(std::string run_id, std::vector<std::string> argv, terminal_size size,
                             std::vector<std::string> env);

  /// Resizes a terminal run's terminal; false for a run without one (or gone).
  bool resize(run& r, terminal_size size);

  /// Ends a run whose client went away: SIGHUP (and SIGCONT) to its group, its stdin (a
  /// terminal: the terminal itself) closed, SIGKILL after `grace` seconds if it still runs.
  void cancel(run& r, double grace);

  run* find(const std::string& id);
  /// The most recently started run still known, for an interrupt without run id.
  run* latest();
  void erase(const std::string& id);

  /// Queues `text` for the run's stdin; false if the stdin is already closed.
  bool write_input(run& r, std::string text);

  /// Takes the output collected since the last call.
  std::vector<console_chunk> take_console(run& r);

  /// True when a process of the run's group is blocked reading the run's stdin pipe.
  bool waits_for_input(const run& r) const;

  /// Records the exit of `pid`; false if it is not the current stage of any run.
  bool on_child_exit(pid_t pid, int wait_status);

  /// Enforces exec timeouts, closes stages whose process ended, starts the next stage.
  void tick(time_point now);

  /// The earliest moment tick() has something to do.
  std::optional<time_point> next_deadline() const;

  void register_fds(poll_set& set);

  /// Signals every live run's group (SIGTERM at shutdown, then SIGKILL).
  void signal_all(int sig);
  bool any_alive() const;

private:
  void read_output(const std::string& id, bool is_stderr);
  void flush_input(const std::string& id);
  void append(run& r, bool is_stderr, std::string text);
  void start_next_stage(run& r);
  void trim_finished();

  std::string workdir_;
  std::map<std::string, run> runs_;
  uint64_t next_seq_ = 1;
};

} // namespace baikal::kernel_runner
