#pragma once

/// Baikal's side of the Docker benchmarks: an actor system with the real Docker actor and the
/// real agent on top (as tests/support/agent_fixture.hpp builds them), an event sink that lets
/// the benchmark wait for image pull events, and a blocking `ask` for the benchmark's thread.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/agent/agent.hpp"
#include "messages/docker_interface.hpp"
#include "messages/errors.hpp"
#include "tools/baikal-bench/bench_env.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

/// Image pull events as they arrive, for a thread that waits on them.
class pull_events {
public:
  void record(const image_pull_event& e);

  /// Waits until `image` has `count` finished-or-failed events in all; answers the last one's
  /// phase, or nothing at the deadline.
  caf::optional<image_pull_event::phase> wait_done(const std::string& image, size_t count,
                                                   std::chrono::seconds limit);

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, size_t> done_;
  std::map<std::string, image_pull_event::phase> last_;
};

/// When each kernel passed the agent's creation steps, from its events: preparing (it holds a
/// creation slot), creating (its image was checked), started (its runner answered).
class kernel_timeline {
public:
  struct marks {
    bench_clock::time_point preparing, creating, started;
  };

  void mark(const kernel_id& id, int step);
  /// Every kernel's marks, and forgets them.
  std::map<kernel_id, marks> take();

private:
  std::mutex mutex_;
  std::map<kernel_id, marks> marks_;
};

/// The first of the 200 host ports this process uses for kernels' services: 100 for the agent,
/// 100 for the raw side of `create`.
uint16_t bench_port_base();

struct rig_options {
  size_t scheduler_threads = 2;
  uint32_t kernel_creation_concurrency = 4;
};

class agent_rig {
public:
  agent_rig(const bench_env& env, rig_options opts);
  ~agent_rig();

  agent_rig(const agent_rig&) = delete;
  agent_rig& operator=(const agent_rig&) = delete;

  /// Asks the agent and waits for its answer.
  template <class Result, class Request>
  caf::expected<Result> ask(Request req, std::chrono::seconds limit = std::chrono::seconds(600)) {
    caf::expected<Result> out{caf::error{}};
    (*self_)
        ->request(agent_, limit, std::move(req))
        .receive([&](Result& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  const agent_settings& settings() const { return settings_; }
  pull_events& pulls() { return *pulls_; }
  kernel_timeline& timeline() { return *timeline_; }
  caf::actor_system& system() { return *sys_; }
  const agent_actor& agent() const { return agent_; }

private:
  std::string socket_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<caf::scoped_actor> self_;
  std::shared_ptr<pull_events> pulls_ = std::make_shared<pull_events>();
  std::shared_ptr<kernel_timeline> timeline_ = std::make_shared<kernel_timeline>();
  agent_settings settings_;
  docker_actor docker_;
  event_sink_actor sink_;
  agent_actor agent_;
};

} // namespace baikal::bench
