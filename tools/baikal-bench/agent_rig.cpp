#include "tools/baikal-bench/agent_rig.hpp"

#include <unistd.h>

#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/docker/docker_actor.hpp"
#include "messages/announce.hpp"
#include "tools/baikal-bench/raw_engine.hpp"

namespace baikal::bench {

namespace {

/// Keeps image pull events and kernel creation steps for the benchmark; the rest is dropped.
event_sink_actor::behavior_type bench_event_sink(std::shared_ptr<pull_events> pulls,
                                                 std::shared_ptr<kernel_timeline> timeline) {
  return {
      [timeline](const kernel_preparing_event& e) { timeline->mark(e.header.kernel, 0); },
      [](const kernel_pulling_event&) {},
      [timeline](const kernel_creating_event& e) { timeline->mark(e.header.kernel, 1); },
      [timeline](const kernel_started_event& e) { timeline->mark(e.header.kernel, 2); },
      [](const kernel_terminated_event&) {},
      [](const do_agent_resource_check_event&) {},
      [](const agent_terminated_event&) {},
      [](const execution_event&) {},
      [](const batch_result_event&) {},
      [pulls](const image_pull_event& e) { pulls->record(e); },
  };
}

} // namespace

void pull_events::record(const image_pull_event& e) {
  if (e.what != image_pull_event::phase::finished && e.what != image_pull_event::phase::failed)
    return;
  std::lock_guard<std::mutex> guard{mutex_};
  ++done_[e.image];
  last_[e.image] = e.what;
  changed_.notify_all();
}

caf::optional<image_pull_event::phase>
pull_events::wait_done(const std::string& image, size_t count, std::chrono::seconds limit) {
  std::unique_lock<std::mutex> lock{mutex_};
  if (!changed_.wait_for(lock, limit, [&] { return done_[image] >= count; }))
    return caf::none;
  return last_[image];
}

void kernel_timeline::mark(const kernel_id& id, int step) {
  auto now = bench_clock::now();
  std::lock_guard<std::mutex> guard{mutex_};
  auto& m = marks_[id];
  (step == 0 ? m.preparing : step == 1 ? m.creating : m.started) = now;
}

std::map<kernel_id, kernel_timeline::marks> kernel_timeline::take() {
  std::lock_guard<std::mutex> guard{mutex_};
  return std::exchange(marks_, {});
}

uint16_t bench_port_base() {
  return static_cast<uint16_t>(40000 + (::getpid() % 100) * 200);
}

agent_rig::agent_rig(const bench_env& env, rig_options opts) {
  announce_message_types(cfg_);
  configure_agent_scheduler(cfg_);
  cfg_.set("scheduler.max-threads", opts.scheduler_threads);
  sys_ = std::make_unique<caf::actor_system>(cfg_);
  self_ = std::make_unique<caf::scoped_actor>(*sys_);
  docker::engine_options engine;
  engine.socket_path = env.docker_socket;
  socket_ = env.docker_socket;
  docker_ = spawn_docker_actor(*sys_, engine);
  settings_.id = "bench-agent-" + std::to_string(::getpid());
  settings_.scratch_root = make_temp_dir(env.scratch_dir, "baikal-bench-scratch");
  settings_.var_base_path = settings_.scratch_root + "/var";
  settings_.base_commit_path = settings_.scratch_root + "/commit";
  settings_.runner_path = env.runner_path;
  settings_.kernel_creation_concurrency = opts.kernel_creation_concurrency;
  settings_.kernel_start_timeout = 60;
  // Host ports for kernels' services away from the default range other agents on this host
  // use; the raw side of `create` takes the next 100 (raw_port_range).
  settings_.port_first = bench_port_base();
  settings_.port_last = static_cast<uint16_t>(settings_.port_first + 99);
  sink_ = sys_->spawn(bench_event_sink, pulls_, timeline_);
  agent_ = spawn_agent(*sys_, settings_, docker_, sink_);
}

agent_rig::~agent_rig() {
  // Kernels end with their agent but their containers stay: remove what a failed run left.
  raw_engine{socket_}.remove_labelled("ai.backend.agent-id=" + settings_.id);
  caf::anon_send_exit(agent_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(docker_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(sink_, caf::exit_reason::user_shutdown);
  self_.reset();
  sys_.reset();
  remove_tree(settings_.scratch_root);
}

} // namespace baikal::bench
