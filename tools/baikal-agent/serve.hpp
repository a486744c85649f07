#pragma once

#include <caf/fwd.hpp>

#include "actors/agent/manager_link.hpp"
#include "messages/agent_interface.hpp"
#include "messages/docker_interface.hpp"
#include "runtime/cluster/tls_settings.hpp"
#include "runtime/config/agent_config.hpp"

namespace baikal {

/// The tls_settings of the agent's config (paths as given).
cluster::tls_settings tls_of(const agent_config& cfg);

/// Serves `agent` on agent.rpc-listen-addr, starts `link` (the agent joins the manager), and
/// waits for SIGTERM or SIGINT; then shuts the agent down (kernels keep running) and answers 0.
/// When the agent, its link or its Docker actor ends first, answers 1 at once: the process must
/// end so that it is started again, not stay up around a dead agent. The signals must be
/// blocked in every thread before the actor system starts.
int serve(caf::actor_system& sys, const agent_actor& agent, const manager_link_actor& link,
          const docker_actor& docker, const agent_config& cfg);

} // namespace baikal
