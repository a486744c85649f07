#pragma once

/// The agent's image operations that need no kernel: purge and push.

#include <caf/typed_event_based_actor.hpp>

#include "actors/agent/agent_state.hpp"
#include "runtime/docker/images.hpp"

namespace baikal {

using agent_pointer = agent_self_actor::stateful_pointer<agent_state>;

/// Deletes every image of `req` with its force/noprune flags; one result per image, in order,
/// Docker's own text as the error of an image that could not be deleted.
caf::result<purge_images_resp> purge_images(agent_pointer self, purge_images_req req);

/// Pushes `ref` with the registry's credentials; a local image is a no-op. Failures and
/// timeouts are runtime_error.
caf::result<ack> push_image(agent_pointer self, const op::push_image& req);

/// Starts a pull job per image (or joins the one running) and answers the job ids at once.
pull_jobs check_and_pull(agent_pointer self, const op::check_and_pull& req);

/// The credentials the engine should present for `registry`.
docker::registry_credentials credentials_for(const image_registry& registry);

} // namespace baikal
