#pragma once

/// Plain functions that turn a kernel creation config into what the engine and the kernel's
/// scratch directory need: the container spec, its labels and environment, the service table.

#include <map>
#include <string>
#include <vector>

#include "actors/agent/agent.hpp"
#include "actors/kernel/kernel_paths.hpp"
#include "messages/kernel_types.hpp"
#include "runtime/docker/containers.hpp"

namespace baikal {

/// Labels that let a restarted agent find its kernels (ai.backend.kernel-id, ...).
std::map<std::string, std::string> kernel_labels(const kernel_creation_config& cfg,
                                                 const agent_id& agent);

/// The container's environment: the config's environ (BACKENDAI_* included) as "K=V".
std::vector<std::string> kernel_environ(const kernel_creation_config& cfg);

/// The runtime the runner uses for query code: the image's ai.backend.runtime label, else the
/// shell.
std::string kernel_runtime(const image_config& image);

/// The Docker network the kernel joins: the host's for host networking, the session's own
/// network when it has one, else the agent's kernel network (network_names.hpp).
std::string kernel_network_mode(const cluster_info& cluster);

/// The container's hostname: the kernel's cluster hostname ("main1", "sub1", ...) as the
/// reference sets it, except where the engine refuses one (host network, another container's
/// namespace); empty then, and when the config has none.
std::string kernel_hostname(const kernel_creation_config& cfg, const std::string& network_mode);

/// The kernel's DNS names on its session network, so that the hosts of BACKENDAI_CLUSTER_HOSTS
/// resolve in every kernel of the session: its cluster hostname, on a user-defined network
/// only (Docker gives aliases nowhere else); empty otherwise.
std::vector<std::string> kernel_network_aliases(const kernel_creation_config& cfg,
                                                const std::string& network_mode);

/// A container's CPU and memory limits (0: none), as the engine takes them.
struct container_limits {
  int64_t nano_cpus = 0;
  int64_t memory = 0;
  bool operator==(const container_limits& o) const {
    return nano_cpus == o.nano_cpus && memory == o.memory;
  }
};

/// The limits a kernel's slots ask for ("cpu" in cores, "mem" in bytes).
container_limits limits_of(const resource_slots& slots);

/// Who a kernel's code runs as: the creation config's uid, main gid and supplementary gids,
/// unless the agent's config fixes the uid or gid for every kernel.
struct kernel_user {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> groups;
};
kernel_user kernel_user_of(const kernel_creation_config& cfg, const agent_settings& settings);

/// The runner's arguments for `user` ("--uid", "1000", "--gid", ...).
std::vector<std::string> runner_user_args(const kernel_user& user);

/// The capabilities a kernel's container keeps: those the runner needs to become the kernel's
/// user (setgroups, setgid, setuid), which it loses in doing so. DAC_OVERRIDE too when root
/// does not own the config directory the runner binds its socket in.
std::vector<std::string> runner_capabilities(const agent_settings& settings);

/// The container spec of a kernel: runner as entrypoint, scratch binds, cpu/memory limits,
/// hostname and network alias, and its confinement: no new privileges, runner_capabilities
/// only, the agent's pids and open-files limits, the engine's default seccomp profile.
docker::container_spec make_container_spec(const kernel_creation_config& cfg,
                                           const cluster_info& cluster,
                                           const agent_settings& settings,
                                           const std::vector<service_port>& services = {});

/// A container start failure, with what to change when the cause is this agent's setting: the
/// engine cannot raise a kernel's open-files limit above its own (container.kernel-open-files).
/// Other errors are answered as they are.
caf::error explain_start_failure(const caf::error& err, const agent_settings& settings);

/// The services.json the runner reads: the image's own table (label ai.backend.services, the
/// runner's JSON format) or the default for busybox images (httpd on 8080).
std::string service_table_json(const image_config& image);

/// The answer for a created kernel.
kernel_info make_kernel_info(const kernel_creation_config& cfg, const agent_settings& settings,
                             const std::string& container_id);

} // namespace baikal
