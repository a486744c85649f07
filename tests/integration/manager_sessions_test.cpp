// The manager with real agents on the private Docker engine: agents join through the registry
// and report to the manager's event hub; a single-kernel and a three-kernel single-node session
// reach RUNNING, run code in their main kernel, and terminate with their containers and network
// removed from the engine.

#include <doctest/doctest.h>

#include <filesystem>
#include <mutex>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/agent/agent.hpp"
#include "actors/docker/docker_actor.hpp"
#include "actors/manager/launch_plan.hpp"
#include "actors/manager/manager.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/networks.hpp"
#include "support/eventually.hpp"
#include "support/metric_value.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// Where the agent's events go once it has joined: the agent is spawned before the registry
/// names the event hub, so it reports to this forwarder.
struct sink_slot {
  std::mutex mtx;
  event_sink_actor target;
};

event_sink_actor::behavior_type forwarder(event_sink_actor::pointer self,
                                          std::shared_ptr<sink_slot> slot) {
  auto fwd = [self, slot](auto e) {
    std::lock_guard<std::mutex> guard{slot->mtx};
    if (slot->target)
      self->send(slot->target, std::move(e));
  };
  return {
      [fwd](kernel_preparing_event e) { fwd(std::move(e)); },
      [fwd](kernel_pulling_event e) { fwd(std::move(e)); },
      [fwd](kernel_creating_event e) { fwd(std::move(e)); },
      [fwd](kernel_started_event e) { fwd(std::move(e)); },
      [fwd](kernel_terminated_event e) { fwd(std::move(e)); },
      [fwd](do_agent_resource_check_event e) { fwd(std::move(e)); },
      [fwd](agent_terminated_event e) { fwd(std::move(e)); },
      [fwd](image_pull_event e) { fwd(std::move(e)); },
      [fwd](execution_event e) { fwd(std::move(e)); },
      [fwd](batch_result_event e) { fwd(std::move(e)); },
  };
}

struct manager_with_agent {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  temp_dir dir{"baikal-manager-it"};
  temp_dir scratch{"baikal-scratch"};
  docker_actor docker;
  event_sink_actor sink;
  agent_actor agent;
  manager_handles m;
  std::string agent_name = "it-agent-" + std::to_string(::getpid());

  /// `park_idle_after`: when idle RUNNING sessions park (see manager_settings).
  explicit manager_with_agent(std::chrono::milliseconds park_idle_after = 10s) {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    docker::engine_options opts;
    opts.socket_path = env_value("BAIKAL_TEST_DOCKER_SOCK");
    docker = spawn_docker_actor(*sys, opts);
    manager_settings settings;
    settings.store_path = (dir.path / "manager.db").string();
    settings.phase_probe_after = 5s;
    settings.session_start_timeout = 180s;
    // The agent here is the actor itself, without the process that would send heartbeats.
    settings.heartbeat_interval = 600s;
    settings.park_idle_after = park_idle_after;
    auto handles = spawn_manager(*sys, settings);
    REQUIRE_MESSAGE(handles, why(handles));
    m = *handles;
    auto slot = std::make_shared<sink_slot>();
    sink = sys->spawn(forwarder, slot);
    agent_settings as;
    as.id = agent_name;
    as.scratch_root = scratch.path.string();
    as.runner_path = BAIKAL_KERNEL_RUNNER_PATH;
    as.kernel_start_timeout = 30;
    // Host ports of its own: other agents may run beside this one on the same engine.
    as.port_first = static_cast<uint16_t>(40000 + (::getpid() % 500) * 20);
    as.port_last = static_cast<uint16_t>(as.port_first + 19);
    agent = spawn_agent(*sys, as, docker, sink);
    auto reg = ask<agent_registration>(m.registry, op::register_agent{as.id,
                                                                      "tcp://127.0.0.1:6001",
                                                                      "default",
                                                                      {{"cpu", 8}, {"mem", 8e9}},
                                                                      {},
                                                                      agent,
                                                                      {},
                                                                      {}});
    REQUIRE_MESSAGE(reg, why(reg));
    std::lock_guard<std::mutex> guard{slot->mtx};
    slot->target = reg->events;
  }

  ~manager_with_agent() {
    caf::scoped_actor self{*sys};
    caf::anon_send_exit(m.front, caf::exit_reason::user_shutdown);
    self->wait_for(m.front);
    for (auto a : {caf::actor_cast<caf::actor>(agent), caf::actor_cast<caf::actor>(sink),
                   caf::actor_cast<caf::actor>(docker)})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }

  template <class Result, class Handle, class Request>
  caf::expected<Result> ask(const Handle& h, Request req, std::chrono::seconds limit = 120s) {
    caf::expected<Result> out{caf::error{}};
    caf::scoped_actor self{*sys};
    self->request(h, limit, std::move(req))
        .receive([&](Result& r) { out = std::move(r); },
                 [&](caf::error& err) { out = std::move(err); });
    return out;
  }

  std::string status_of(const session_id& id) {
    auto rec = ask<session_record>(m.front, api::get_session{"alice", id});
    return rec ? to_string(rec->status) : "error: " + message_of(rec.error());
  }

  bool reaches(const session_id& id, const std::string& status) {
    // A final status other than the one awaited ends the wait at once.
    eventually(
        [&] {
          auto now = status_of(id);
          return now == status || now == "ERROR" || now == "TERMINATED";
        },
        180s);
    bool ok = status_of(id) == status;
    if (!ok)
      MESSAGE("session " << id << " is " << status_of(id) << ", expected " << status);
    return ok;
  }

  session_id create(uint32_t size) {
    session_request r;
    r.owner = "alice";
    r.image = env_value("BAIKAL_TEST_IMAGE");
    r.cluster_size = size;
    r.resources = {{"cpu", 0.5}, {"mem", 128.0 * 1024 * 1024}};
    auto id = ask<session_id>(m.front, api::create_session{r});
    REQUIRE_MESSAGE(id, why(id));
    return *id;
  }

  bool engine_has(docker_call call) {
    caf::expected<docker_reply> out{caf::error{}};
    caf::scoped_actor self{*sys};
    self->request(docker, 60s, std::move(call))
        .receive([&](docker_reply& r) { out = std::move(r); },
                 [&](caf::error& err) { out = std::move(err); });
    if (!out && code_of(out.error()) != errc::not_found)
      FAIL("the engine failed: " << message_of(out.error()));
    return static_cast<bool>(out);
  }

  /// Runs `code` in the session's main kernel and answers its stdout.
  std::string run_in_main(const session_id& id, const std::string& code) {
    auto route = ask<kernel_route>(m.front, api::main_kernel{"alice", id});
    REQUIRE_MESSAGE(route, why(route));
    auto res = ask<execution_result>(
        route->handle, op::execute{id, route->kernel, 4, "", execution_mode::query, code, {}, 10});
    REQUIRE_MESSAGE(res, why(res));
    std::string out;
    for (auto& item : res->console)
      if (item.stream == "stdout")
        out += item.data;
    return out;
  }

  long parked_sessions() {
    auto text = ask<std::string>(m.front, api::get_metrics{});
    REQUIRE_MESSAGE(text, why(text));
    return metric_value(*text, "baikal_sessions_parked");
  }

  /// Runs the whole life of a session of `size` kernels and checks what the engine holds; with
  /// `parked`, the session parks once RUNNING, so the code runs and the termination comes
  /// while it has no actor.
  void run_session(uint32_t size, bool parked = false) {
    auto id = create(size);
    REQUIRE(reaches(id, "RUNNING"));
    if (parked)
      REQUIRE(eventually([&] { return parked_sessions() == 1; }, 30s));
    auto rec = ask<session_record>(m.front, api::get_session{"alice", id});
    REQUIRE(rec);
    REQUIRE(rec->kernels.size() == size);
    for (auto& k : rec->kernels) {
      CHECK(k.status == kernel_status::running);
      CHECK(k.agent == agent_name);
      REQUIRE_FALSE(k.container_id.empty());
      CHECK(engine_has(docker::container_inspect(k.container_id)));
    }
    auto bridge = launch::single_node_network_name(id);
    CHECK(engine_has(docker::network_inspect(bridge)) == (size > 1));
    CHECK(run_in_main(id, "echo hello from $BACKENDAI_CLUSTER_HOST") == "hello from main1\n");

    REQUIRE(ask<ack>(m.front, api::terminate_session{"alice", id}));
    REQUIRE(reaches(id, "TERMINATED"));
    for (auto& k : rec->kernels)
      CHECK_FALSE(engine_has(docker::container_inspect(k.container_id)));
    CHECK_FALSE(engine_has(docker::network_inspect(bridge)));
    if (parked)
      CHECK(parked_sessions() == 0);
  }
};

/// Idle RUNNING sessions park at once.
struct manager_with_agent_parking : manager_with_agent {
  manager_with_agent_parking() : manager_with_agent(0s) {}
};

} // namespace

TEST_CASE_FIXTURE(manager_with_agent,
                  "manager with real agents: a single-kernel session runs code and terminates") {
  run_session(1);
}

TEST_CASE_FIXTURE(manager_with_agent, "manager with real agents: a three-kernel single-node "
                                      "session runs code and terminates with its bridge removed") {
  run_session(3);
}

TEST_CASE_FIXTURE(manager_with_agent_parking,
                  "manager with real agents: a parked three-kernel session runs code, and "
                  "terminating it removes its containers and bridge") {
  run_session(3, true);
}
