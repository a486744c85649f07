#pragma once

/// An actor system with a real Docker actor (on the harness's private engine) and an agent on
/// top, plus helpers to arrange and inspect the engine's state the way a scenario's "Given"
/// and "Then" describe it.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/agent/agent.hpp"
#include "actors/docker/docker_actor.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "support/event_recorder.hpp"
#include "support/log_capture.hpp"
#include "support/test_env.hpp"

namespace baikal::test {

struct agent_fixture {
  /// What the agent logs (first: it outlives every actor, see log_capture).
  log_capture agent_log{"agent"};
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<caf::scoped_actor> self;
  docker_actor docker;
  agent_actor agent;
  agent_settings settings;
  bool keep_scratch = false; ///< leave the scratch root (a crash-recovery test reuses it)
  /// The folders this fixture made; a recovery test replaces `settings` by a crashed agent's,
  /// and these must still go at the end.
  std::vector<std::string> own_folders;
  std::shared_ptr<recorded_events> events = std::make_shared<recorded_events>();
  event_sink_actor sink;

  /// A fresh scratch root under /tmp, removed when the fixture ends.
  static std::string make_scratch_root() {
    char tmpl[] = "/tmp/baikal-scratch.XXXXXX";
    return ::mkdtemp(tmpl);
  }

  agent_fixture() {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    self = std::make_unique<caf::scoped_actor>(*sys);
    docker::engine_options opts;
    opts.socket_path = env_value("BAIKAL_TEST_DOCKER_SOCK");
    docker = spawn_docker_actor(*sys, opts);
    // One id per fixture: an agent reconciles every container that carries its id, and a
    // crash-recovery test keeps the containers of an agent that ended before the next starts.
    static std::atomic<int> fixtures{0};
    settings.id = "test-agent-" + std::to_string(::getpid()) + "-" + std::to_string(++fixtures);
    settings.scratch_root = make_scratch_root();
    char var_tmpl[] = "/tmp/baikal-var.XXXXXX";
    settings.var_base_path = ::mkdtemp(var_tmpl);
    own_folders = {settings.scratch_root, settings.var_base_path};
    settings.runner_path = BAIKAL_KERNEL_RUNNER_PATH;
    settings.kernel_start_timeout = 20;
    sink = sys->spawn(record_events, events);
    agent = spawn_agent(*sys, settings, docker, sink);
  }

  ~agent_fixture() {
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(docker, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
    self.reset();
    std::error_code ec;
    if (!keep_scratch) {
      std::filesystem::remove_all(settings.scratch_root, ec);
      std::filesystem::remove_all(settings.var_base_path, ec);
      for (auto& folder : own_folders)
        std::filesystem::remove_all(folder, ec);
    }
  }

  /// Replaces the agent by one with the current `settings` (a test changes a setting first).
  void respawn_agent() {
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    agent = spawn_agent(*sys, settings, docker, sink);
  }

  /// Asks the agent and waits for its answer (or error).
  template <class Result, class Request>
  caf::expected<Result> ask(Request req, std::chrono::seconds limit = std::chrono::seconds(120)) {
    caf::expected<Result> out{caf::error{}};
    caf::scoped_actor asker{*sys}; // one per call: tests may ask from several threads
    asker->request(agent, limit, std::move(req))
        .receive([&](Result& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  /// A kernel creation config for the harness's test image.
  kernel_creation_config test_kernel_config(const kernel_id& id, const session_id& session) {
    kernel_creation_config cfg;
    cfg.kernel = id;
    cfg.session = session;
    cfg.image.canonical = env_value("BAIKAL_TEST_IMAGE");
    cfg.image.is_local = true;
    cfg.role = cluster_role::main;
    cfg.cluster_hostname = "main1";
    cfg.slots = {{"cpu", 1}, {"mem", 128.0 * 1024 * 1024}};
    cfg.environ = {{"BACKENDAI_KERNEL_ID", id}, {"BACKENDAI_SESSION_ID", session}};
    return cfg;
  }

  /// Creates one kernel of the test image and answers its info.
  caf::expected<kernel_info> create_test_kernel(const kernel_id& id) {
    auto session = "session-" + id;
    auto res = ask<created_kernels>(
        op::create_kernels{session, {id}, {test_kernel_config(id, session)}, cluster_info{}, {}});
    if (!res)
      return res.error();
    return res->kernels.at(0);
  }

  caf::expected<execution_result> run(const kernel_id& id, const std::string& code,
                                      double flush_timeout = 5.0) {
    return ask<execution_result>(
        op::execute{"session-" + id, id, 4, "", execution_mode::query, code, {}, flush_timeout});
  }

  caf::expected<ack> destroy(const kernel_id& id) {
    return ask<ack>(
        op::destroy_kernel{id, "session-" + id, lifecycle_reason::user_requested, false});
  }

  /// Stdout of a finished run, concatenated.
  static std::string stdout_of(const execution_result& res) {
    std::string out;
    for (auto& item : res.console)
      if (item.stream == "stdout")
        out += item.data;
    return out;
  }

  /// Sends one call to the engine through the Docker actor.
  caf::expected<docker_reply> engine(docker_call call) {
    caf::expected<docker_reply> out{caf::error{}};
    (*self)
        ->request(docker, std::chrono::seconds(120), std::move(call))
        .receive([&](docker_reply& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }
};

/// A name no other test run uses.
inline std::string unique_suffix() {
  static int counter = 0;
  return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

} // namespace baikal::test
