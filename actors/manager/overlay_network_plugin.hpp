#pragma once

/// The `overlay` network plugin: one attachable overlay network per multi-node session,
/// created and removed through the Docker Engine API of a swarm manager engine. Agents on the
/// swarm's nodes attach their kernels to it by name.
///
/// Protocol: net::create_network{session id} creates `bai-multinode-{session id}` (driver
/// overlay, attachable, label ai.backend.cluster-network=1) and answers its name as the
/// network id, also to a create re-sent for a network already there. net::destroy_network{name}
/// removes it from the swarm (each node drops its copy just after), a network already gone being
/// fine. Docker's errors come back as caf::errors, an engine that is not a swarm manager with
/// a message saying how to make it one.

#include <chrono>
#include <string>

#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include "messages/docker_interface.hpp"
#include "messages/network_plugin_interface.hpp"
#include "runtime/config/manager_timeouts.hpp"
#include "runtime/docker/networks.hpp"

namespace baikal {

/// "bai-multinode-{session_id}".
std::string overlay_network_name(const std::string& session_id);

/// The Docker spec of the overlay network of `session_id`.
docker::network_spec overlay_network_spec(const std::string& session_id);

/// The error a failed network creation answers: Docker's own unless the engine is not a swarm
/// manager, which gets a message naming the network and the fix (`docker swarm init`).
caf::error overlay_create_error(const caf::error& docker_error, const std::string& network);

/// Spawns the plugin on `docker`, an actor talking to a swarm manager engine; each Docker call
/// may take `call_timeout`. The plugin does not own `docker`: whoever spawned it stops it.
network_plugin_actor spawn_overlay_network_plugin(
    caf::actor_system& sys, docker_actor docker,
    std::chrono::seconds call_timeout = manager_timeouts{}.network_plugin_call);

} // namespace baikal
