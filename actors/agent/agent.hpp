#pragma once

/// The agent actor: answers the whole agent interface (messages/agent_interface.hpp) for one
/// host. It owns the kernel registry, the host port pool and the agent's config; every call to
/// the Docker engine goes through the Docker actor, and blocking work (host probing, config
/// files, and its kernels' file and runner calls) runs on its blocking executor, so the
/// agent's own thread never blocks. An engine watch (engine_watch.hpp) tells it when the engine
/// goes away and comes back; what the agent does then is in engine_outage.hpp.
///
/// Supervision: the agent monitors its kernel actors and pull jobs and ends them when it ends
/// (kernel_supervision.hpp); a kernel actor that fails is served again from its container. The
/// executor is linked: an agent without it can do no file or runner work, so they end together.
/// From op::shutdown on the agent is stopping: new work is refused with unavailable.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/agent/manager_link.hpp"
#include "actors/kernel/kernel.hpp"
#include "actors/supervision/blocking_executor.hpp"
#include "messages/agent_interface.hpp"
#include "messages/docker_interface.hpp"
#include "runtime/checks/agent_op_checks.hpp"
#include "runtime/config/agent_timeouts.hpp"
#include "runtime/config/warm_pool_setting.hpp"

namespace baikal {

/// What an agent needs to know of itself and its host.
struct agent_settings {
  agent_id id = "agent-1";
  std::string scaling_group = "default";
  std::string scratch_root = "./var/scratch";
  std::string var_base_path = "./var/lib";
  std::string base_commit_path = "./var/commit";
  std::string config_path; ///< the agent's TOML file; empty when started without one
  /// [storage] root, absolute: kernels mount folders from strictly inside it (empty: none).
  std::string storage_root;
  uint16_t port_first = 30000;
  uint16_t port_last = 31000;
  uint32_t kernel_creation_concurrency = 4;
  /// Whether a service port is checked with a bind probe before the engine is asked to publish
  /// it. The probe sees only the agent's network namespace; an agent in another one than the
  /// engine turns it off and relies on the engine's refusal (a retry with other ports).
  bool probe_host_ports = true;
  std::string host = "127.0.0.1";      ///< where this agent's kernels are reachable
  std::string runner_path;             ///< the static baikal-kernel-runner bound into every kernel
  double kernel_start_timeout = 30;    ///< seconds for a new kernel's runner to answer
  double restart_destroy_timeout = 60; ///< seconds restart_kernel waits for the destroy
  double image_pull_timeout = 3600;    ///< seconds a pull job may take (then ImagePullFailed)
  uint32_t image_pull_retries = 5;     ///< tries again of a pull that did not reach its registry
  agent_timeouts timeouts;             ///< how long each kind of engine answer may take
  /// container.kernel-uid / kernel-gid: when set (>= 0) every kernel's code runs as this user
  /// whatever its creation config asks; -1 leaves the creation config's uid and main gid.
  int64_t kernel_uid = -1;
  int64_t kernel_gid = -1;
  /// container.kernel-pids-limit: processes and threads one kernel may have at once.
  int64_t kernel_pids_limit = 4096;
  /// container.kernel-open-files: files one process of a kernel may have open (soft and hard).
  int64_t kernel_open_files = 16384;
  /// Whether root owns the kernels' config directories (the agent runs as root). When not, the
  /// runner needs DAC_OVERRIDE to bind its socket there.
  bool root_owns_scratch = true;
  blocking_limits blocking;     ///< threads and queue of the blocking executor
  execute_probe before_execute; ///< tests only (kernel.hpp); empty in baikal-agent
  /// container.max-code-bytes: what the agent accepts as code, completion text and batch
  /// commands (larger answers too_large).
  checks::op_limits input_limits;
  /// container.max-concurrent-runs: executions one kernel runs at once; one more answers
  /// unavailable until one ends.
  uint32_t max_concurrent_runs = 16;
  /// [[warm-pool]]: containers kept started ahead per image (warm_pool.hpp).
  std::vector<warm_pool_setting> warm_pools;
  /// The manager the link follows (shared with manager_link_settings): commands that change
  /// something from another manager node are refused. Null: every sender is taken.
  std::shared_ptr<const followed_manager> followed;
};

/// Spawns an agent that speaks to Docker through `docker` and reports events to `events`
/// (which may be invalid: events are then dropped). `recovered` are kernels that already run
/// (kernel_recovery.hpp); the agent serves them again.
agent_actor spawn_agent(caf::actor_system& sys, agent_settings settings, docker_actor docker,
                        event_sink_actor events, std::vector<kernel_info> recovered = {});

/// As above, for an agent whose event sink is its manager link (which may be invalid: no
/// manager): the agent also tells the link when update_scaling_group changes its scaling
/// group, so the link's next registration carries the current one.
agent_actor spawn_agent(caf::actor_system& sys, agent_settings settings, docker_actor docker,
                        const manager_link_actor& link, std::vector<kernel_info> recovered = {});

/// CAF's scheduler as an agent's process wants it: work sharing, whose idle threads sleep until
/// work comes. Work stealing's idle threads poll, and on a small host that takes the CPU the
/// engine and the kernels' runners need: `create` of 10 kernels took 1.70 s against 1.57 s,
/// and each execute 0.1 ms more (BENCHMARKS.md).
void configure_agent_scheduler(caf::actor_system_config& cfg);

} // namespace baikal
