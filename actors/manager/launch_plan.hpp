#pragma once

/// The launcher's decisions as plain functions (no actors): which agent pulls which images, how
/// a session's network is set up, the kernel creation configs and their BACKENDAI_* environment.
/// The launcher actor only sequences the requests these describe.

#include <map>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/agent_interface.hpp"
#include "messages/session_types.hpp"

namespace baikal::launch {

using image_configs = std::map<std::string, image_config>;

// -- image pulling -----------------------------------------------------------------------------

/// Images to pull per agent, each image once per agent however many kernels use it. Images with
/// no config are left out and named in `missing` (when given).
std::map<agent_id, image_configs>
group_images_by_agent(const std::vector<scheduled_session>& sessions, const image_configs& configs,
                      std::vector<std::string>* missing = nullptr);

/// What one agent is asked in a pass of queued pulls: every image the triggers want on it (an
/// image's first config wins), and the triggers (by position) that wait for its answer.
struct agent_pull {
  image_configs images;
  std::vector<size_t> triggers;
};

/// The pulls of triggers that arrived together, one check_and_pull per agent: a burst of
/// sessions each triggering its own pulls then asks an agent once per pass, not once per session
/// (SC-LA-002 across calls).
std::map<agent_id, agent_pull>
merge_pulls(const std::vector<std::map<agent_id, image_configs>>& triggers);

// -- kernels -----------------------------------------------------------------------------------

/// The session's kernels per agent, in session order within each agent.
std::map<agent_id, std::vector<kernel_binding>>
group_kernels_by_agent(const scheduled_session& session);

/// The image config of every kernel, or invalid_argument naming the first image without one.
caf::expected<std::map<kernel_id, image_config>> resolve_images(const scheduled_session& session,
                                                                const image_configs& configs);

/// The kernel's hostname in its cluster: its own when the scheduler set one, else role + idx.
std::string hostname_of(const kernel_binding& kernel);

/// The host part of an agent address ("tcp://10.0.0.1:6001" -> "10.0.0.1").
std::string host_of(const std::string& agent_addr);

/// Parses a canonical reference "registry/project/name:tag" into an image_ref.
image_ref parse_image_ref(const image_config& config);

// -- network -----------------------------------------------------------------------------------

enum class network_kind {
  default_bridge, ///< single kernel, VOLATILE: Docker's default network
  local_bridge,   ///< single node, several kernels, VOLATILE: a bridge on the agent
  plugin,         ///< multi node, VOLATILE: the configured inter-container driver
  host,           ///< HOST: the agents' host network, SSH ports assigned per kernel
  persistent,     ///< PERSISTENT: a network created beforehand, nothing to create
};

std::string to_string(network_kind x);

/// How `session`'s network is set up (SC-LA-009..013).
network_kind plan_network(const scheduled_session& session);

/// "bai-singlenode-{session_id}": the bridge of a single-node cluster.
std::string single_node_network_name(const session_id& id);

/// "persistent-{network_id}": the Docker name of a PERSISTENT network.
std::string persistent_network_name(const std::string& network_id);

/// Whether each kernel of a HOST session gets its own SSH port: only clusters need one.
bool needs_ssh_ports(const scheduled_session& session);

// -- creation configs --------------------------------------------------------------------------

/// The BACKENDAI_* variables one kernel sees, over the session's own environ (SC-LA-015).
std::map<std::string, std::string> make_cluster_environ(const scheduled_session& session,
                                                        const kernel_binding& kernel,
                                                        const image_config& image);

/// Everything the agent needs to create `kernel` (SC-LA-014).
kernel_creation_config make_kernel_creation_config(const scheduled_session& session,
                                                   const kernel_binding& kernel,
                                                   const image_config& image);

/// What every kernel knows of its cluster: size, replicas per role, network, SSH.
cluster_info make_cluster_info(const scheduled_session& session, network_config network,
                               ssh_keypair ssh, std::map<std::string, host_port> ssh_ports);

/// One create_kernels request for the kernels of one agent.
op::create_kernels make_create_kernels(const scheduled_session& session,
                                       const std::vector<kernel_binding>& kernels,
                                       const std::map<kernel_id, image_config>& images,
                                       const cluster_info& cluster);

} // namespace baikal::launch
