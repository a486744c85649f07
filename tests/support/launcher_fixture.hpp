#pragma once

/// What every launcher scenario needs: an actor system, test agents, a recording repository,
/// network plugins, a log capture, and sessions to launch. Everything spawned here is stopped
/// in the destructor, before the actor system goes away.

#include <doctest/doctest.h>

#include <chrono>
#include <memory>

#include <caf/actor_cast.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/manager/launcher.hpp"
#include "runtime/ssh/keypair.hpp"
#include "support/test_agent.hpp"

namespace baikal::test {

inline image_config make_image(const std::string& canonical) {
  image_config x;
  x.canonical = canonical;
  x.architecture = "x86_64";
  x.project = "stable";
  x.registry = {"cr.backend.ai", "https://cr.backend.ai", "", ""};
  return x;
}

constexpr const char* python_image = "cr.backend.ai/stable/python:3.9";
constexpr const char* r_image = "cr.backend.ai/stable/r:4.1";

inline std::map<std::string, image_config> image_configs() {
  return {{python_image, make_image(python_image)}, {r_image, make_image(r_image)}};
}

/// A kernel on `agent` ("a1" lives at 10.0.0.1, "a2" at 10.0.0.2, ...).
inline kernel_binding make_kernel(const kernel_id& id, const agent_id& agent,
                                  cluster_role role = cluster_role::main, uint32_t idx = 1,
                                  const std::string& image = python_image) {
  kernel_binding k;
  k.id = id;
  k.agent = agent;
  k.agent_addr = "tcp://10.0.0." + agent.substr(1) + ":6001";
  k.image = image;
  k.architecture = "x86_64";
  k.role = role;
  k.cluster_idx = idx;
  k.cluster_hostname = to_string(role) + std::to_string(idx);
  k.slots = {{"cpu", 1}, {"mem", 1073741824}};
  return k;
}

inline scheduled_session make_session(const session_id& id, std::vector<kernel_binding> kernels,
                                      cluster_mode mode = cluster_mode::single_node,
                                      network_type network = network_type::volatile_) {
  scheduled_session s;
  s.id = id;
  s.name = "sess-" + id;
  s.user_uuid = "u-" + id;
  s.access_key = "AKIA" + id;
  s.mode = mode;
  s.network = network;
  s.cluster_size = static_cast<uint32_t>(kernels.size());
  s.kernels = std::move(kernels);
  s.scaling_group = "default";
  return s;
}

struct launcher_fixture {
  log_capture logs{"launcher"}; // first: it must outlive every actor that logs
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  recorder_ptr rec = std::make_shared<recorder>();
  launcher_config config;
  keypair_source keypairs; ///< empty: real RSA generation
  agent_directory agents;
  network_plugin_registry plugins;
  std::vector<caf::actor> spawned;

  launcher_fixture() {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    config.session_start_timeout = std::chrono::seconds{10};
    use_ready_keypair(); // SC-LA-006 and SC-LA-016 exercise the real generation
  }

  ~launcher_fixture() {
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sys.reset();
  }

  template <class Handle> Handle track(Handle h) {
    spawned.push_back(caf::actor_cast<caf::actor>(h));
    return h;
  }

  void add_agent(const agent_id& id, agent_script script = {}) {
    agents[id] = track(spawn_test_agent(*sys, id, rec, std::move(script)));
  }

  void add_plugin(const std::string& driver, network_fn fn) {
    plugins.add(driver, track(spawn_test_network_plugin(*sys, rec, std::move(fn))));
  }

  launcher_actor launcher() {
    auto repository = track(spawn_recording_repository(*sys, rec));
    return track(spawn_launcher(*sys, config, {agents, repository, plugins, keypairs}));
  }

  /// Hands every session the same keypair, made once per test process: for scenarios whose
  /// point is not the keypair, so RSA generation time (long on a loaded machine) stays out.
  void use_ready_keypair() {
    static const auto ready = ssh::generate_cluster_keypair();
    keypairs = [] { return ready; };
  }

  /// Asks a fresh launcher to start `sessions` and waits for its report.
  start_sessions_report start(std::vector<scheduled_session> sessions,
                              std::map<std::string, image_config> images = image_configs()) {
    auto l = launcher();
    caf::scoped_actor self{*sys};
    start_sessions_report out;
    self->request(l, std::chrono::seconds{30}, op::start_sessions{sessions, images, {}})
        .receive([&](start_sessions_report& r) { out = std::move(r); },
                 [&](caf::error& err) { FAIL("start_sessions failed: " << message_of(err)); });
    return out;
  }

  /// Asks a fresh launcher to trigger image pulling; true when it answered.
  bool pull(std::vector<scheduled_session> sessions,
            std::map<std::string, image_config> images = image_configs()) {
    auto l = launcher();
    caf::scoped_actor self{*sys};
    bool answered = false;
    self->request(l, std::chrono::seconds{30}, op::trigger_image_pulling{sessions, images})
        .receive(
            [&](ack) { answered = true; },
            [&](caf::error& err) { FAIL("trigger_image_pulling failed: " << message_of(err)); });
    return answered;
  }

  /// Starts the one session `s` and answers its outcome.
  session_start_outcome launch_one(scheduled_session s) {
    auto id = s.id;
    return outcome(start({std::move(s)}), id);
  }

  /// The outcome of session `id` in `report`.
  static session_start_outcome outcome(const start_sessions_report& report, const session_id& id) {
    for (auto& o : report.outcomes)
      if (o.session == id)
        return o;
    FAIL("no outcome for session " << id);
    return {};
  }

  /// The single create_kernels request `agent` received.
  op::create_kernels only_create(const agent_id& agent) {
    auto calls = rec->agent(agent).creates;
    REQUIRE(calls.size() == 1);
    return calls.front();
  }
};

} // namespace baikal::test
