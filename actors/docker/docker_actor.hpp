#pragma once

/// Spawns the Docker actor: the agent's only door to the Docker engine.
///
/// Protocol: a `docker_call` or `docker_stream_call` makes a response promise kept under a
/// fresh id and hands the request to the engine (runtime/docker/engine.hpp), which runs it on
/// its own threads. The engine's completion sends `docker_call_done{id}` back to the actor,
/// which delivers the promise in its own context; stream pieces go straight from the engine
/// thread to the listener. A call with `timeout_ms` also arms `docker_call_deadline{id}`:
/// whichever of done and deadline comes first answers, the deadline also cancelling the
/// engine call. When a listener goes down, its streams are cancelled. When the actor exits,
/// the engine stops and every pending request fails with errc::unavailable.

#include <caf/fwd.hpp>

#include "messages/docker_interface.hpp"
#include "runtime/docker/engine.hpp"

namespace baikal {

/// Spawns a Docker actor that owns an engine built from `opts`.
docker_actor spawn_docker_actor(caf::actor_system& sys, docker::engine_options opts);

} // namespace baikal
