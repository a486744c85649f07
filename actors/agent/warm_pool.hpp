#pragma once

/// The agent's warm pools ([[warm-pool]] in agent.toml): per image, containers created and
/// started ahead with the default configuration, their runners answering, each waiting for one
/// kernel. A kernel that fits one (its image, no mounts, one kernel on the agent's kernel
/// network, the default user) is handed it instead of a new container: its scratch directory
/// is renamed to the kernel's, its cluster keys and environment written there (the runner
/// takes the environment before its first child: tools/baikal-kernel-runner/handed_environ.hpp)
/// and its CPU and memory limits set (warm_pool_ops.hpp). A kernel that does not fit is created
/// as ever.
///
/// A warm container's kernel-id label is its pool name ("warm-<uuid>"), which it keeps when it
/// is handed over: the registry file records whose it became, and the agent knows its kernels
/// by container id where the label does not say.
///
/// This is the bookkeeping alone, with no actor: a container is taken out of the pool before
/// its hand-over starts, so no two kernels ever get the same one.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/agent/agent.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "messages/kernel_types.hpp"
#include "runtime/config/warm_pool_setting.hpp"

namespace baikal {

/// The agent's own reminder to fill its pools again after a failure (no one else sends it).
struct warm_pool_tick {};

/// The kernel-id label (and scratch directory name) of warm containers starts with this.
inline constexpr const char* warm_label_prefix = "warm-";

bool is_warm_label(const std::string& kernel_label);

/// A fresh label: the prefix and 24 random hex digits.
std::string new_warm_label();

/// A started container of a pool, its runner answering, waiting for a kernel.
struct warm_kernel {
  std::string label;        ///< "warm-<uuid>": its kernel-id label and scratch directory name
  std::string container_id; ///< the engine's
  std::string image;        ///< the pool's canonical reference
  std::string image_id;     ///< the config digest of the image it was created from
  std::string runtime;      ///< the runner's --runtime (kernel_runtime of its image)
  std::string services;     ///< the service table it was given (service_table_json)
  std::vector<service_port> service_ports; ///< with the host ports it publishes
  kernel_user user;                        ///< whom its runner runs code as
  std::string hostname;                    ///< its container's hostname
  container_limits limits;                 ///< what it was created with
};

/// Why kernel `cfg` of `cluster` cannot take `w` (a sentence), or nothing when it can.
std::optional<std::string> warm_misfit(const kernel_creation_config& cfg,
                                       const cluster_info& cluster, const agent_settings& settings,
                                       const warm_kernel& w);

class warm_pool {
public:
  using clock = std::chrono::steady_clock;

  warm_pool() = default;
  explicit warm_pool(const std::vector<warm_pool_setting>& settings);

  bool empty() const { return pools_.empty(); }

  /// A ready container `cfg` fits, taken out of its pool; nothing when the image has no pool,
  /// none is ready, or the kernel does not fit (then `why` says so, if given).
  std::optional<warm_kernel> take(const kernel_creation_config& cfg, const cluster_info& cluster,
                                  const agent_settings& settings, std::string* why = nullptr);

  /// The images whose pools are short of their size at `now`, once for each container to
  /// start; pools waiting out a failure are left until their time comes.
  std::vector<std::string> shortfall(clock::time_point now) const;

  /// A container of `image`'s pool is being made under `label`.
  void filling(const std::string& image, const std::string& label);
  /// It is ready.
  void filled(warm_kernel k);
  /// It could not be made: the pool tries again after `backoff`.
  void fill_failed(const std::string& image, const std::string& label, clock::time_point now,
                   clock::duration backoff);

  /// The container labelled `label` stopped or went while in the pool: it leaves the pool
  /// (returned, so that it can be removed). Nothing when the pool had no such container.
  std::optional<warm_kernel> drop(const std::string& label);

  /// Every ready container, leaving the pools empty (the agent stops).
  std::vector<warm_kernel> drain();

  /// The ready containers' ids by label.
  std::map<std::string, std::string> ready_containers() const;

  /// The labels of containers ready or being made: reconciliation leaves them alone.
  std::set<std::string> labels() const;

  /// When the next pool waiting out a failure may try again; nothing when none waits.
  std::optional<clock::time_point> next_retry() const;

  size_t ready(const std::string& image) const;
  size_t making(const std::string& image) const;

  /// The limits the last kernel handed a container of `image` asked for: the pool makes its
  /// next containers with them, so that the next such kernel needs no update at its hand-over.
  void remember_limits(const std::string& image, container_limits limits);
  container_limits limits_for(const std::string& image) const;

private:
  struct pool {
    uint32_t size = 0;
    std::vector<warm_kernel> ready;
    std::set<std::string> making;
    clock::time_point retry_at{};
    container_limits limits;
  };
  std::map<std::string, pool> pools_;
};

} // namespace baikal
