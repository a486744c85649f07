#pragma once

/// A whole manager node in one process, for API tests against real containers: spawn_manager
/// on a temporary store, its agent registry published on a free port, real agents (Docker
/// actor on the harness's private engine) that join it through the middleman with their
/// manager links, and the HTTP API on a free port with two users, alice and bob.

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/agent/agent.hpp"
#include "actors/agent/manager_link.hpp"
#include "actors/docker/docker_actor.hpp"
#include "actors/manager/http/http_api.hpp"
#include "actors/manager/manager.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"
#include "runtime/cluster/registry_endpoint.hpp"
#include "support/api_client.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"
#include "support/why.hpp"

namespace baikal::test {

struct api_cluster_fixture {
  struct running_agent {
    agent_id id;
    std::string scratch;
    docker_actor docker;
    manager_link_actor link;
    agent_actor agent;
  };

  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  temp_dir dir{"baikal-api"};
  manager_handles m;
  uint16_t registry_port = 0;
  std::unique_ptr<http_api> api;
  std::vector<running_agent> agents;
  api_client alice;
  api_client bob;
  std::string image;

  api_cluster_fixture() {
    announce_message_types(cfg);
    cluster::configure_node(cfg, {});
    cfg.set("scheduler.max-threads", 4);
    sys = std::make_unique<caf::actor_system>(cfg);
    image = env_value("BAIKAL_TEST_IMAGE");
    manager_settings ms;
    ms.store_path = (dir.path / "manager.db").string();
    ms.heartbeat_interval = std::chrono::seconds{1};
    ms.session_start_timeout = std::chrono::seconds{120};
    image_config img;
    img.canonical = image;
    img.architecture = "x86_64";
    img.is_local = true;
    img.auto_pull = auto_pull_policy::none;
    ms.images[image] = img;
    auto handles = spawn_manager(*sys, ms);
    REQUIRE_MESSAGE(handles, why(handles));
    m = *handles;
    auto port = cluster::publish_registry(*sys, m.registry, {{"127.0.0.1", 0}, {}});
    REQUIRE_MESSAGE(port, why(port));
    registry_port = *port;
    api_settings as;
    as.port = 0;
    as.users = {{"alice", "uuid-alice", "token-alice-0001"}, {"bob", "uuid-bob", "token-bob-0002"}};
    api = std::make_unique<http_api>(*sys, m.front, as);
    auto api_port = api->start();
    REQUIRE_MESSAGE(api_port, why(api_port));
    alice = api_client{*api_port, "token-alice-0001"};
    bob = api_client{*api_port, "token-bob-0002"};
  }

  ~api_cluster_fixture() {
    api->stop();
    for (auto& a : agents) {
      caf::anon_send_exit(a.link, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(a.agent, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(a.docker, caf::exit_reason::user_shutdown);
      std::error_code ec;
      std::filesystem::remove_all(a.scratch, ec);
    }
    {
      caf::scoped_actor self{*sys};
      caf::anon_send_exit(m.front, caf::exit_reason::user_shutdown);
      self->wait_for(m.front, m.registry);
    }
    sys.reset();
  }

  /// Starts an agent that joins the manager, with `warm_pools` ([[warm-pool]]); answers its id.
  agent_id add_agent(std::vector<warm_pool_setting> warm_pools = {}) {
    running_agent a;
    a.id = "api-agent-" + std::to_string(::getpid()) + "-" + std::to_string(agents.size() + 1);
    char tmpl[] = "/tmp/baikal-scratch.XXXXXX";
    a.scratch = ::mkdtemp(tmpl);
    docker::engine_options opts;
    opts.socket_path = env_value("BAIKAL_TEST_DOCKER_SOCK");
    a.docker = spawn_docker_actor(*sys, opts);
    manager_link_settings link;
    link.id = a.id;
    link.managers = {host_port{"127.0.0.1", registry_port}};
    link.capacity = {{"cpu", 4}, {"mem", 4.0 * 1024 * 1024 * 1024}};
    a.link = spawn_manager_link(*sys, link);
    agent_settings s;
    s.id = a.id;
    s.scratch_root = a.scratch;
    s.runner_path = BAIKAL_KERNEL_RUNNER_PATH;
    s.kernel_start_timeout = 20;
    s.warm_pools = std::move(warm_pools);
    a.agent = spawn_agent(*sys, s, a.docker, caf::actor_cast<event_sink_actor>(a.link));
    start_manager_link(a.link, a.agent, "");
    agents.push_back(a);
    return a.id;
  }

  /// Waits until GET /v1/agents shows `id` ALIVE.
  bool agent_alive(const agent_id& id) {
    return eventually([&] {
      auto res = alice.get("/v1/agents");
      if (res.status != 200 || !res.json.IsObject())
        return false;
      for (auto& a : res.json["agents"].GetArray())
        if (std::string{a["id"].GetString()} == id &&
            std::string{a["status"].GetString()} == "ALIVE")
          return true;
      return false;
    });
  }

  std::string session_status(const api_client& who, const std::string& id) {
    return who.get("/v1/sessions/" + id).str("status");
  }

  /// Waits until the session is `status` (or has ended elsewhere); answers the last status.
  std::string wait_status(const api_client& who, const std::string& id, const std::string& status,
                          std::chrono::seconds limit = std::chrono::seconds(120)) {
    std::string last;
    eventually(
        [&] {
          last = session_status(who, id);
          return last == status || last == "ERROR" || last == "TERMINATED";
        },
        limit);
    if (last != status)
      MESSAGE("session " << id << " is " << last << ": " << who.get("/v1/sessions/" + id).body);
    return last;
  }
};

} // namespace baikal::test
