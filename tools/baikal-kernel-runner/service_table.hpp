#pragma once

/// Long-running services of a kernel (httpd, jupyter, ...) started by name from the image's
/// service table file.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "run_table.hpp"

namespace baikal::kernel_runner {

/// One entry of the service table file.
struct service_definition {
  std::vector<std::string> command; ///< argv; "{port}" in an argument is replaced by the port
  int port = 0;
  std::string protocol = "tcp";
  std::vector<std::string> env; ///< "K=V"
};

/// What start() did.
struct service_start {
  std::string status; ///< "started", "running" or "failed"
  std::string error;
  pid_t pid = -1;
  int port = 0;
  std::string protocol;
};

/// A service as list_services shows it.
struct service_view {
  std::string name;
  std::string status; ///< "running", "stopping", "stopped"
  pid_t pid = -1;
  int port = 0;
  std::string protocol;
  std::optional<int> exit_code;
};

/// Starts, stops and reaps services. Stopping is asynchronous: SIGTERM now, SIGKILL after the
/// grace, and the caller learns the end through stopped().
class service_table {
public:
  service_table(std::string table_path, std::string workdir, double kill_grace);

  /// Starts `name`; `port_override` replaces the table's port (the agent may assign one).
  service_start start(const std::string& name, std::optional<int> port_override);

  /// Sends SIGTERM to a running service; returns a note when there was nothing to stop.
  std::optional<std::string> stop(const std::string& name);

  /// True when `name` is not running (anymore).
  bool stopped(const std::string& name) const;

  std::vector<service_view> list() const;

  bool on_child_exit(pid_t pid, int wait_status);
  /// Escalates to SIGKILL for services that outlived their grace.
  void tick(time_point now);
  std::optional<time_point> next_deadline() const;

  void signal_all(int sig);
  bool any_alive() const;

private:
  struct instance {
    service_definition def;
    pid_t pid = -1;
    int port = 0;
    std::optional<time_point> kill_at;
    std::optional<int> exit_code;
  };

  /// Reads the table file again at each start, so the agent may write it after the kernel
  /// started; an unreadable file is an empty table.
  std::map<std::string, service_definition> load_table(std::string& error) const;

  std::string table_path_;
  std::string workdir_;
  double kill_grace_;
  std::map<std::string, instance> services_;
};

} // namespace baikal::kernel_runner
