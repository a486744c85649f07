// The manager link in one process: the test publishes a recording registry on its own node and
// the link connects to it through the middleman (a connection to the own node hands back the
// local actor), so buffering and rejoining are checked without a second process.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/unpublish.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/agent/agent.hpp"
#include "actors/agent/manager_link.hpp"
#include "messages/announce.hpp"
#include "runtime/cluster/node.hpp"
#include "support/eventually.hpp"
#include "support/recording_registry.hpp"
#include "support/test_agent.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

struct link_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  link_fixture() {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", 2);
    cluster::configure_node(cfg, {});
    sys = std::make_unique<caf::actor_system>(cfg);
    // A failed REQUIRE leaves actors running: never wait for them at the end.
    sys->await_actors_before_shutdown(false);
  }

  uint16_t publish(const test::recording_registry& reg, uint16_t port = 0) {
    auto bound = cluster::publish(*sys, reg.actor, host_port{"127.0.0.1", port}, {});
    return bound ? *bound : 0;
  }
};

void started(const manager_link_actor& link, const std::string& kernel) {
  kernel_started_event e;
  e.header.kernel = kernel;
  e.header.reason = "test";
  caf::anon_send(link, e);
}

std::vector<std::string> lines(const std::vector<std::string>& kernels) {
  std::vector<std::string> out;
  for (auto& k : kernels)
    out.push_back("KernelStartedEvent " + k + " test");
  return out;
}

} // namespace

TEST_CASE("cluster: the link buffers events while away and delivers them in order on rejoin") {
  test::log_capture logs{"link"};
  link_fixture f;
  auto first = test::spawn_recording_registry(*f.sys, 50);
  auto port = f.publish(first);
  REQUIRE(port != 0);
  auto agent = test::spawn_test_agent(*f.sys, "agent-buf", std::make_shared<test::recorder>());
  manager_link_settings s;
  s.id = "agent-buf";
  s.managers = {host_port{"127.0.0.1", port}};
  s.capacity = {{"cpu", 4}};
  s.backoff.initial = 20ms;
  s.buffer_capacity = 3;
  auto link = spawn_manager_link(*f.sys, s);

  // Before the agent is handed over, events wait.
  started(link, "k1");
  started(link, "k2");
  start_manager_link(link, agent, "127.0.0.1:1");
  REQUIRE(test::eventually([&] { return first.log->registration_count() == 1; }, 30s));
  auto reg = first.log->last_registration();
  CHECK(reg.id == "agent-buf");
  CHECK(reg.addr == "127.0.0.1:1");
  // The test agent has no hardware to report: the configured slots are the capacity.
  CHECK(reg.capacity == resource_slots{{"cpu", 4}});
  REQUIRE(test::eventually([&] { return first.events->snapshot().size() == 2; }, 30s));
  CHECK(first.events->snapshot() == lines({"k1", "k2"}));

  // The registry goes away; five events come while away, and only the last three fit.
  REQUIRE(caf::io::unpublish(first.actor, port));
  caf::anon_send_exit(first.actor, caf::exit_reason::kill);
  REQUIRE(test::eventually([&] { return logs.count(spdlog::level::warn, "lost the manager") == 1; },
                           30s));
  for (auto k : {"k3", "k4", "k5", "k6", "k7"})
    started(link, k);
  auto second = test::spawn_recording_registry(*f.sys, 50);
  REQUIRE(test::eventually([&] { return f.publish(second, port) == port; }, 30s));
  REQUIRE(test::eventually([&] { return second.events->snapshot().size() == 3; }, 30s));
  CHECK(second.events->snapshot() == lines({"k5", "k6", "k7"}));
  CHECK(logs.count(spdlog::level::warn, "event buffer full (3 events)") == 1);
  CHECK(logs.count(spdlog::level::info, "rejoined the manager") == 1);
  CHECK(logs.count(spdlog::level::info, "(2 dropped while away)") == 1);
  // Joined again: a new event goes straight through, after the buffered ones.
  started(link, "k8");
  REQUIRE(test::eventually([&] { return second.events->snapshot().size() == 4; }, 30s));
  CHECK(second.events->snapshot().back() == "KernelStartedEvent k8 test");
  CHECK(first.events->snapshot().size() == 2);

  for (auto& a :
       {caf::actor_cast<caf::actor>(link), caf::actor_cast<caf::actor>(agent),
        caf::actor_cast<caf::actor>(first.events_sink), caf::actor_cast<caf::actor>(second.actor),
        caf::actor_cast<caf::actor>(second.events_sink)})
    caf::anon_send_exit(a, caf::exit_reason::kill);
}

TEST_CASE("cluster: a link to an address where nothing listens keeps retrying, buffering") {
  test::log_capture logs{"link"};
  link_fixture f;
  // A port that was just free: bind one, note it, close it.
  auto probe = test::spawn_recording_registry(*f.sys);
  auto port = f.publish(probe);
  REQUIRE(port != 0);
  REQUIRE(caf::io::unpublish(probe.actor, port));
  caf::anon_send_exit(probe.actor, caf::exit_reason::kill);
  caf::anon_send_exit(probe.events_sink, caf::exit_reason::kill);

  auto agent = test::spawn_test_agent(*f.sys, "agent-alone", std::make_shared<test::recorder>());
  manager_link_settings s;
  s.id = "agent-alone";
  s.managers = {host_port{"127.0.0.1", port}};
  s.backoff.initial = 10ms;
  auto link = spawn_manager_link(*f.sys, s);
  start_manager_link(link, agent, "");
  started(link, "k1");
  REQUIRE(test::eventually(
      [&] { return logs.count(spdlog::level::warn, "cannot join the manager") >= 3; }, 30s));
  CHECK(logs.count(spdlog::level::warn, "retrying in") >= 3);
  CHECK(logs.count(spdlog::level::info, "joined") == 0);
  caf::anon_send_exit(link, caf::exit_reason::kill);
  caf::anon_send_exit(agent, caf::exit_reason::kill);
}

TEST_CASE("cluster: after update_scaling_group every registration carries the new group") {
  test::log_capture logs{"link"};
  link_fixture f;
  auto first = test::spawn_recording_registry(*f.sys, 50);
  auto port = f.publish(first);
  REQUIRE(port != 0);
  manager_link_settings s;
  s.id = "agent-group";
  s.scaling_group = "default";
  s.managers = {host_port{"127.0.0.1", port}};
  s.backoff.initial = 20ms;
  auto link = spawn_manager_link(*f.sys, s);
  // The real agent (no Docker engine needed for its scaling group), its events through the link
  // as in baikal-agent; without a config file the update only changes the running config.
  char tmpl[] = "/tmp/baikal-link-group.XXXXXX";
  std::string scratch = ::mkdtemp(tmpl);
  agent_settings as;
  as.id = "agent-group";
  as.scratch_root = scratch;
  as.var_base_path = scratch + "/var";
  auto agent = spawn_agent(*f.sys, as, docker_actor{}, link);
  start_manager_link(link, agent, "127.0.0.1:1");
  REQUIRE(test::eventually([&] { return first.log->registration_count() == 1; }, 30s));
  CHECK(first.log->last_registration().scaling_group == "default");

  caf::scoped_actor self{*f.sys};
  bool updated = false;
  self->request(agent, 30s, op::update_scaling_group{"gpu"})
      .receive([&](ack) { updated = true; }, [&](caf::error& err) { FAIL(message_of(err)); });
  REQUIRE(updated);

  // The manager restarted (heartbeats answer known=false): the link registers again.
  first.log->forget_all();
  REQUIRE(test::eventually([&] { return first.log->registration_count() == 2; }, 30s));
  CHECK(first.log->last_registration().scaling_group == "gpu");

  // The manager went away and came back on a new registry: the rejoin carries it too.
  REQUIRE(caf::io::unpublish(first.actor, port));
  caf::anon_send_exit(first.actor, caf::exit_reason::kill);
  auto second = test::spawn_recording_registry(*f.sys, 50);
  REQUIRE(test::eventually([&] { return f.publish(second, port) == port; }, 30s));
  REQUIRE(test::eventually([&] { return second.log->registration_count() == 1; }, 30s));
  CHECK(second.log->last_registration().scaling_group == "gpu");

  for (auto& a :
       {caf::actor_cast<caf::actor>(link), caf::actor_cast<caf::actor>(agent),
        caf::actor_cast<caf::actor>(first.events_sink), caf::actor_cast<caf::actor>(second.actor),
        caf::actor_cast<caf::actor>(second.events_sink)})
    caf::anon_send_exit(a, caf::exit_reason::kill);
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
}

TEST_CASE("cluster: a link given several managers joins the one that answers, and the next one "
          "when that one goes away") {
  test::log_capture logs{"link"};
  link_fixture f;
  // The standby's port: nothing listens there until the leader is gone.
  auto probe = test::spawn_recording_registry(*f.sys);
  auto standby_port = f.publish(probe);
  REQUIRE(standby_port != 0);
  REQUIRE(caf::io::unpublish(probe.actor, standby_port));
  caf::anon_send_exit(probe.actor, caf::exit_reason::kill);
  caf::anon_send_exit(probe.events_sink, caf::exit_reason::kill);
  auto leader = test::spawn_recording_registry(*f.sys, 50);
  auto leader_port = f.publish(leader);
  REQUIRE(leader_port != 0);
  auto agent = test::spawn_test_agent(*f.sys, "agent-many", std::make_shared<test::recorder>());
  manager_link_settings s;
  s.id = "agent-many";
  s.managers = {host_port{"127.0.0.1", standby_port}, host_port{"127.0.0.1", leader_port}};
  s.backoff.initial = 20ms;
  s.backoff.cap = 200ms;
  auto link = spawn_manager_link(*f.sys, s);
  start_manager_link(link, agent, "127.0.0.1:1");
  REQUIRE(test::eventually([&] { return leader.log->registration_count() == 1; }, 30s));
  CHECK(logs.count(spdlog::level::warn,
                   "cannot join the manager at 127.0.0.1:" + std::to_string(standby_port)) >= 1);
  CHECK(logs.count(spdlog::level::warn,
                   "retrying with the manager at 127.0.0.1:" + std::to_string(leader_port)) >= 1);
  started(link, "k1");
  REQUIRE(test::eventually([&] { return leader.events->snapshot().size() == 1; }, 30s));

  // The leader goes; the standby leads and listens: the link finds it, with what came between.
  REQUIRE(caf::io::unpublish(leader.actor, leader_port));
  caf::anon_send_exit(leader.actor, caf::exit_reason::kill);
  REQUIRE(test::eventually([&] { return logs.count(spdlog::level::warn, "lost the manager") == 1; },
                           30s));
  started(link, "k2");
  auto next = test::spawn_recording_registry(*f.sys, 50);
  REQUIRE(test::eventually([&] { return f.publish(next, standby_port) == standby_port; }, 30s));
  REQUIRE(test::eventually([&] { return next.log->registration_count() == 1; }, 30s));
  CHECK(next.log->last_registration().id == "agent-many");
  REQUIRE(test::eventually([&] { return next.events->snapshot().size() == 1; }, 30s));
  CHECK(next.events->snapshot() == lines({"k2"}));

  for (auto& a :
       {caf::actor_cast<caf::actor>(link), caf::actor_cast<caf::actor>(agent),
        caf::actor_cast<caf::actor>(leader.events_sink), caf::actor_cast<caf::actor>(next.actor),
        caf::actor_cast<caf::actor>(next.events_sink)})
    caf::anon_send_exit(a, caf::exit_reason::kill);
}
