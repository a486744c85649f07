#pragma once

/// Container, archive and exec operations of the Docker Engine API: request builders and
/// response parsers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

/// A resource limit of every process in a container (setrlimit), e.g. "nofile".
struct ulimit {
  std::string name;
  int64_t soft = 0;
  int64_t hard = 0;
};

/// What the agent sets on a new container (the subset of `POST /containers/create` it uses).
struct container_spec {
  std::string name; ///< empty: Docker picks one
  std::string image;
  std::vector<std::string> cmd;
  std::optional<std::vector<std::string>> entrypoint;
  std::vector<std::string> env; ///< "K=V"
  std::map<std::string, std::string> labels;
  std::string working_dir;
  std::string user;
  std::vector<std::string> binds; ///< "/host:/container:rw"
  std::string network_mode;       ///< empty: the default bridge
  int64_t nano_cpus = 0;          ///< 0: no limit; 1e9 per CPU
  int64_t memory = 0;             ///< bytes; 0: no limit (swap is then limited to the same)
  bool init = false;              ///< tini as PID 1, so SIGTERM ends a process without a handler
  bool auto_remove = false;
  bool tty = false;
  /// Container TCP port to host port, published on every host address.
  std::map<uint16_t, uint16_t> port_bindings;
  /// Empty: Docker's default (the short container id).
  std::string hostname;
  /// Extra DNS names of the container on the network_mode network (a user-defined one only:
  /// the default bridge refuses aliases).
  std::vector<std::string> network_aliases;
  int64_t pids_limit = 0; ///< processes and threads at once; 0: the engine's default (none)
  std::vector<ulimit> ulimits;
  /// Capabilities taken from and added to the engine's default set ("ALL", "SETUID", ...).
  std::vector<std::string> cap_drop;
  std::vector<std::string> cap_add;
  /// e.g. "no-new-privileges"; leaving seccomp out keeps the engine's default profile.
  std::vector<std::string> security_opt;
};

std::string container_create_body(const container_spec& spec);
docker_call container_create(const container_spec& spec);
docker_call container_start(const std::string& id);
docker_call container_stop(const std::string& id, int timeout_s);
docker_call container_kill(const std::string& id, const std::string& signal);
docker_call container_remove(const std::string& id, bool force, bool volumes);
/// `POST /containers/{id}/update` of a running container's CPU and memory limits (0: none).
/// Swap is limited as at create, to twice the memory.
docker_call container_update(const std::string& id, int64_t nano_cpus, int64_t memory);
/// `POST /containers/{id}/rename`.
docker_call container_rename(const std::string& id, const std::string& name);
docker_call container_inspect(const std::string& id);

struct log_options {
  bool with_stdout = true;
  bool with_stderr = true;
  bool timestamps = false;
  bool follow = false; ///< stream it in raw mode and demux with frame_demuxer
  std::string tail;    ///< "" for all, else a line count
  std::string since;   ///< "" for all, else the lines at or after "SECONDS.NANOSECONDS"
};

docker_call container_logs(const std::string& id, const log_options& opts);

/// Waits for `condition` ("not-running", "next-exit", "removed") on its own connection; use
/// "next-exit" before start ("not-running" answers at once for a created container).
docker_call container_wait(const std::string& id, const std::string& condition);

/// The container's exit status from a wait answer `{"StatusCode":N,"Error":..}`.
caf::expected<int64_t> parse_wait(std::string_view body);

/// The parts of `GET /containers/{id}/json` the agent uses.
struct container_info {
  std::string id;
  std::string name; ///< without Docker's leading "/"
  std::string image;
  std::string status; ///< "created", "running", "exited", ...
  bool running = false;
  bool oom_killed = false;
  int64_t exit_code = 0;
  std::map<std::string, std::string> labels;
  std::vector<std::string> networks;
};

caf::expected<container_info> parse_container_info(std::string_view body);

// -- archives ------------------------------------------------------------------------------

/// `GET .../archive?path=P`: a tar of P (a file: one entry named by its basename).
docker_call archive_get(const std::string& id, const std::string& path);

/// `HEAD .../archive?path=P`: only the X-Docker-Container-Path-Stat header.
docker_call archive_stat(const std::string& id, const std::string& path);

/// Extracts `tar` into the existing directory `dir`.
docker_call archive_put(const std::string& id, const std::string& dir, std::string tar);

/// X-Docker-Container-Path-Stat, decoded.
struct path_stat {
  std::string name;
  int64_t size = 0;
  uint32_t mode = 0; ///< a Go FileMode: permission bits plus type bits such as 0x80000000
  std::string mtime;
  std::string link_target;

  bool is_dir() const { return (mode & 0x80000000u) != 0; }
  bool is_symlink() const { return (mode & 0x08000000u) != 0; }
};

/// Decodes the header (standard base64 of a JSON object).
caf::expected<path_stat> decode_path_stat(std::string_view header);

// -- exec ----------------------------------------------------------------------------------

struct exec_spec {
  std::vector<std::string> cmd;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
  bool tty = false;
};

docker_call exec_create(const std::string& container, const exec_spec& spec);

/// Starts without upgrading: the raw stream runs until the process ends (then demux it).
docker_call exec_start(const std::string& exec_id, bool tty);

docker_call exec_inspect(const std::string& exec_id);

struct exec_info {
  bool running = false;
  int64_t exit_code = 0;
  int64_t pid = 0;
};

caf::expected<exec_info> parse_exec_info(std::string_view body);

} // namespace baikal::docker
