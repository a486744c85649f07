#pragma once

/// The session launcher (the reference's SessionLauncher) behind `launcher_actor`.
///
/// trigger_image_pulling: one check_and_pull per agent with its images deduplicated, all agents
/// asked at once; a failing or unknown agent is logged and never holds the others; the answer
/// comes when every agent has answered.
///
/// start_sessions: each session is started by its own session_starter actor, asked under the
/// session start timeout. A starter that does not answer in time is stopped, the timeout is
/// logged as a warning and written as the session's error info; the other sessions go on. The
/// answer lists one outcome per session once all have ended (see session_starter.hpp for what
/// one start does).

#include <chrono>
#include <functional>
#include <string>

#include <caf/actor_system.hpp>

#include "messages/agent_directory.hpp"
#include "messages/agent_interface.hpp"
#include "messages/launcher_interface.hpp"
#include "messages/store_interface.hpp"
#include "runtime/config/manager_timeouts.hpp"
#include "runtime/network/network_plugin.hpp"

namespace baikal {

/// The launcher's settings, with the reference's defaults.
struct launcher_config {
  /// START_SESSION_TIMEOUT_SEC of the reference.
  std::chrono::milliseconds session_start_timeout = std::chrono::seconds{1800};
  /// How long an agent may take to accept a check_and_pull ([timeouts] image-pull-request).
  std::chrono::milliseconds pull_request_timeout = manager_timeouts{}.image_pull_request;
  /// `network.inter_container.default_driver`: the plugin multi-node sessions use.
  std::string default_network_driver = "overlay";
  /// RSA key generation is CPU-bound; this many detached threads make the cluster keypairs.
  size_t keygen_workers = 2;
  /// Cluster SSH keypairs each worker keeps made ahead (ssh_keygen.hpp).
  size_t keypairs_made_ahead = 2;
};

/// Where cluster keypairs come from; runs on the keygen workers' own threads.
using keypair_source = std::function<caf::expected<ssh_keypair>()>;

/// What the launcher talks to.
struct launcher_deps {
  agent_directory agents;
  session_repository_actor repository;
  network_plugin_registry network_plugins;
  /// Empty for the real thing (ssh::generate_cluster_keypair); tests whose point is timing
  /// hand in a ready pair so RSA generation time does not leak into their deadlines.
  keypair_source keypairs;
};

/// Spawns the launcher; it stops its keygen workers when it stops.
launcher_actor spawn_launcher(caf::actor_system& sys, launcher_config cfg, launcher_deps deps);

} // namespace baikal
