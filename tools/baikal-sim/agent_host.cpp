#include "tools/baikal-sim/agent_host.hpp"

#include <unistd.h>

#include <csignal>
#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"
#include "tools/baikal-sim/fleet.hpp"
#include "tools/baikal-sim/host_report.hpp"
#include "tools/baikal-sim/workload.hpp"

namespace baikal::sim {

namespace {

constexpr auto register_timeout = std::chrono::seconds{60};

/// The agents this process hosts, and the heartbeat driver of those that beat.
struct hosted_fleet {
  std::vector<agent_actor> agents;
  caf::actor beats;
};

caf::expected<agent_registry_actor> join_registry(caf::actor_system& sys, const std::string& at) {
  auto addr = cluster::parse_host_port(at);
  if (!addr)
    return addr.error();
  // Blocking is fine here: this is the main thread, not an actor's.
  auto reg = sys.middleman().remote_actor<agent_registry_actor>(addr->host, addr->port);
  if (!reg)
    return make_error(errc::unavailable, "cannot reach the manager's registry at " + at + ": " +
                                             sys.render(reg.error()));
  return *reg;
}

caf::error register_one(caf::scoped_actor& self, const agent_registry_actor& registry,
                        sim_agent_config& cfg, const agent_actor& handle,
                        const resource_slots& capacity) {
  caf::error out;
  self->request(
          registry, register_timeout,
          op::register_agent{cfg.id, "sim://" + cfg.id, "default", capacity, {}, handle, {}, {}})
      .receive(
          [&](agent_registration& reg) {
            cfg.ledger->with(
                [&](agent_double::ledger& l) { return l.sink = std::move(reg.events); });
          },
          [&](caf::error& err) { out = std::move(err); });
  return out;
}

caf::expected<hosted_fleet> host_agents(caf::actor_system& sys, const sim_options& o,
                                        const agent_registry_actor& registry) {
  caf::scoped_actor self{sys};
  auto faults = assign_faults(o);
  auto capacity = agent_capacity(o);
  hosted_fleet out;
  std::vector<agent_id> beating;
  for (size_t i = o.host_begin; i < o.host_end; ++i) {
    auto cfg = agent_config_for(o, i, faults[i]);
    auto handle = spawn_sim_agent(sys, cfg);
    out.agents.push_back(handle);
    if (auto err = register_one(self, registry, *cfg, handle, capacity)) {
      for (auto& a : out.agents)
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      return make_error(errc::unavailable,
                        "agent " + cfg->id + " could not register: " + message_of(err));
    }
    if (cfg->fault != agent_fault::silent)
      beating.push_back(cfg->id);
  }
  out.beats = spawn_heartbeats(sys, registry, std::move(beating), capacity, heartbeat_interval);
  return out;
}

/// Blocks until stdin reaches EOF (or fails): the parent closed it or is gone.
void wait_for_parent_to_finish() {
  char buf[256];
  for (;;) {
    auto n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EINTR))
      return;
  }
}

} // namespace

int run_agent_host(const sim_options& opts) {
  // A parent gone before our last line must not kill us halfway through shutting down.
  std::signal(SIGPIPE, SIG_IGN);
  caf::actor_system_config cfg;
  announce_message_types(cfg);
  cluster::configure_node(cfg, {});
  cfg.set("scheduler.max-threads", opts.threads);
  caf::actor_system sys{cfg};
  auto registry = join_registry(sys, opts.agent_host);
  if (!registry) {
    std::cerr << "baikal-sim agent host: " << message_of(registry.error()) << "\n";
    return 2;
  }
  auto fleet = host_agents(sys, opts, *registry);
  if (!fleet) {
    std::cerr << "baikal-sim agent host: " << message_of(fleet.error()) << "\n";
    return 2;
  }
  std::cout << ready_line(fleet->agents.size()) << std::endl;
  wait_for_parent_to_finish();
  std::cout << report_line(this_process("agent-host", fleet->agents.size())) << std::endl;
  caf::anon_send_exit(fleet->beats, caf::exit_reason::user_shutdown);
  for (auto& a : fleet->agents)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return 0;
}

} // namespace baikal::sim
