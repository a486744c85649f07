#pragma once

/// The agent's TOML configuration (`baikal-agent --config agent.toml`). Keys follow the
/// reference agent.toml where the two overlap; every key is optional and the embedded
/// defaults let an agent start on one machine with no file at all.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "messages/kernel_types.hpp" // host_port, written in TOML as { host = "...", port = N }
#include "runtime/config/agent_timeouts.hpp"
#include "runtime/config/warm_pool_setting.hpp"

namespace baikal {

/// Everything the agent reads from its config file.
struct agent_config {
  // -- [agent] ---------------------------------------------------------------------------

  /// agent.id: the agent's name towards the manager; when empty or missing, "i-" followed by
  /// the host name, as the reference agent does.
  std::string id;

  /// agent.scaling-group: the scaling group the manager schedules this agent in;
  /// update_scaling_group rewrites it.
  std::string scaling_group = "default";

  /// agent.rpc-listen-addr: where the agent accepts the manager's connection (port 0 picks
  /// a free one).
  host_port rpc_listen_addr{"127.0.0.1", 6001};

  // -- [container] -----------------------------------------------------------------------

  /// container.scratch-root: kernels' scratch directories, `{scratch-root}/{kernel_id}/work`
  /// being the container's /home/work.
  std::string scratch_root = "./var/scratch";

  /// container.var-base-path: the agent's own state, e.g. last_registry.{instance}.dat.
  std::string var_base_path = "./var/lib";

  /// container.base-commit-path: commit locks and exported images,
  /// `{base-commit-path}/{subdir}/lock/{kernel_id}` and `{base-commit-path}/{subdir}/{filename}`.
  std::string base_commit_path = "./var/commit";

  /// container.port-range: host ports handed to kernels' services, both ends included.
  uint16_t port_range_first = 30000;
  uint16_t port_range_last = 31000;

  /// container.advertised-host: the IP address at which the kernels' published ports are
  /// reached from other hosts (the manager's app proxy); empty for the rpc-listen-addr host.
  std::string advertised_host;

  /// container.kernel-creation-concurrency: kernels created at once per create_kernels call
  /// (1 to 32); more makes Docker time out under load.
  int kernel_creation_concurrency = 4;

  /// container.kernel-uid / kernel-gid: when set, every kernel's code runs as this user; -1
  /// leaves the uid and main gid each kernel's creation config names.
  int64_t kernel_uid = -1;
  int64_t kernel_gid = -1;

  /// container.kernel-pids-limit: processes and threads one kernel may have at once (16 to
  /// 4194304), so that a fork bomb in one kernel cannot fill the host's process table.
  int64_t kernel_pids_limit = 4096;

  /// container.kernel-open-files: files each process of a kernel may have open, its soft and
  /// hard RLIMIT_NOFILE (64 to 1048576); the engine refuses more than its own limit.
  int64_t kernel_open_files = 16384;

  /// container.max-concurrent-runs: executions one kernel runs at once (1 to 1024); one more
  /// is answered `unavailable` until one ends.
  int64_t max_concurrent_runs = 16;

  /// container.max-code-bytes: the largest code, completion text or batch command the agent
  /// takes in one request (1 KiB to 64 MiB).
  int64_t max_code_bytes = 1024 * 1024;

  // -- [docker] --------------------------------------------------------------------------

  /// docker.socket: the Docker engine's Unix socket.
  std::string docker_socket = "/var/run/docker.sock";

  /// docker.image-pull-timeout: seconds an image pull may take, retries included; then the
  /// pull fails (ImagePullFailed naming the registry and the cause).
  double image_pull_timeout = 3600.0;

  /// docker.image-pull-retries: how often a pull that failed to reach its registry (refused,
  /// reset, timed out) is tried again, with a backoff of 1 s doubling up to 30 s (0 to 20).
  int image_pull_retries = 5;

  // -- [blocking] ------------------------------------------------------------------------

  /// blocking.io-threads / run-threads / queue-limit: the agent's executor for blocking work
  /// (actors/supervision/blocking_executor.hpp). Code runs get their own threads, since each holds
  /// one for as long as the run takes to answer; everything else (file operations, interrupts,
  /// completions) shares the io threads. A call that finds its threads busy and queue-limit
  /// calls of its kind waiting is answered unavailable.
  int blocking_io_threads = 8;
  int blocking_run_threads = 16;
  int blocking_queue_limit = 1000;

  // -- [manager] -------------------------------------------------------------------------

  /// manager.address: where the agent joins the manager (its agent registry).
  host_port manager_address{"127.0.0.1", 6100};
  /// manager.addresses, instead of manager.address: every manager that shares one store,
  /// tried in turn (only the leader answers). Always holds at least manager_address.
  std::vector<host_port> manager_addresses{{"127.0.0.1", 6100}};

  // -- [tls] -----------------------------------------------------------------------------

  /// tls.certificate / tls.key / tls.ca: this node's PEM certificate and key and the cluster
  /// CA. All empty: plain TCP to the manager; all set: TLS with both sides verified.
  std::string tls_certificate;
  std::string tls_key;
  std::string tls_ca;

  // -- [storage] -------------------------------------------------------------------------

  /// storage.root: the manager's [storage] root as this host sees it. Kernels mount storage
  /// folders from strictly inside it only; empty refuses every mount.
  std::string storage_root = "./var/storage";

  // -- [timeouts] ------------------------------------------------------------------------

  /// timeouts.*: seconds the agent waits for each kind of engine answer (1 to 86400).
  agent_timeouts timeouts;

  // -- [[warm-pool]] --------------------------------------------------------------------

  /// [[warm-pool]] image / size: containers kept created and started ahead per image, handed
  /// to sessions whose kernels fit them. None by default.
  std::vector<warm_pool_setting> warm_pools;

  // -- [debug] ---------------------------------------------------------------------------

  /// debug.heartbeat-interval: seconds between heartbeats to the manager.
  double heartbeat_interval = 20.0;

  // -- not from the file -----------------------------------------------------------------

  /// The file's keys that nothing above reads (dotted paths, sorted): keys of the reference
  /// agent.toml that Baikal has no use for, or misspelt ones. They are accepted, and the agent
  /// names them in a warning when it starts.
  std::vector<std::string> ignored_keys;

  /// The file this configuration came from; empty for the embedded defaults. This is the
  /// file update_scaling_group edits.
  std::string config_path;
};

/// The embedded default agent.toml, commented, as `baikal-agent` uses it without --config.
std::string_view default_agent_config_toml();

/// Parses TOML text; `source` names it in error messages. Errors are invalid_argument with
/// toml++'s description and position, or the key and what it must be.
caf::expected<agent_config> parse_agent_config(std::string_view toml_text,
                                               const std::string& source = "agent.toml");

/// Reads and parses `path`, recording it in config_path; runtime_error when unreadable.
caf::expected<agent_config> load_agent_config(const std::string& path);

/// The embedded defaults, parsed.
agent_config default_agent_config();

} // namespace baikal
