#pragma once

/// One image being made ready on this agent: checks the local image against its ImageConfig,
/// pulls it when needed (ImagePullStartedEvent, progress, ImagePullFinishedEvent or
/// ImagePullFailedEvent), reports "already present" as finished, then quits. The agent keeps
/// one job per image, so a second request for an image being pulled joins the running job.
///
/// A pull that cannot reach its registry (or the engine) is tried again up to `retries` times,
/// 1 s apart doubling up to 30 s, all within `timeout_s`; the failure then names the registry,
/// the attempts and the cause (pull_failure.hpp). The engine tags an image only once every
/// layer is in, so a failed or cancelled pull leaves no tag behind.

#include <chrono>
#include <string>

#include <caf/fwd.hpp>

#include "messages/agent_interface.hpp"
#include "messages/docker_interface.hpp"

namespace baikal {

struct image_pull_setup {
  std::string job_id;
  std::string image; ///< the name check_and_pull was given
  image_config config;
  agent_id agent;
  docker_actor docker;
  event_sink_actor events;
  double timeout_s = 3600;
  uint32_t retries = 5;
  std::chrono::seconds inspect_timeout{60}; ///< agent_timeouts::engine_call
};

/// The job listens to the pull's progress lines; it is a Docker listener.
docker_listener_actor spawn_image_pull_job(caf::actor_system& sys, image_pull_setup setup);

/// Parses one pull progress line into (current, total) bytes, when it carries them.
bool parse_pull_progress(const std::string& line, uint64_t& current, uint64_t& total,
                         std::string& status);

} // namespace baikal
