#pragma once

/// The baseline side: the Docker Engine API called directly through Baikal's engine client
/// (runtime/docker/engine.hpp), with no actor in between. Each call blocks the calling thread
/// (the benchmark's own, never an actor's) until the engine answers.

#include <atomic>
#include <cstdint>
#include <string>

#include <caf/expected.hpp>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/engine.hpp"

namespace baikal::bench {

class raw_engine {
public:
  /// The same pool as the Docker actor's engine (engine_options defaults), so neither side
  /// has more connections to the engine than the other.
  explicit raw_engine(const std::string& socket_path);

  /// Runs `c` and answers its reply; a non-success status becomes an error with Docker's text.
  caf::expected<docker_reply> call(docker_call c);

  /// A streamed call (pull, push): fails on an error line inside a 200 answer.
  caf::expected<docker_reply> progress_call(docker_call c);

  /// create + start; answers the container id.
  caf::expected<std::string> create_and_start(const docker::container_spec& spec);

  /// What `docker exec C cmd...` does: exec create, start (attached, until the end), inspect.
  /// Answers stdout.
  caf::expected<std::string> exec(const std::string& container,
                                  const std::vector<std::string>& cmd);

  /// Removes a container (force, with volumes); a missing one is fine.
  void remove_container(const std::string& id);

  /// Removes every container carrying `label` ("key=value"), running or not: what a failed
  /// benchmark left behind. Answers how many it removed.
  size_t remove_labelled(const std::string& label);

  /// Removes an image (force); a missing one is fine.
  void remove_image(const std::string& name);

  docker::engine& engine() { return engine_; }

private:
  docker::engine engine_;
  std::atomic<uint64_t> next_id_{0};
};

} // namespace baikal::bench
