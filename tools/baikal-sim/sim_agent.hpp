#pragma once

/// A simulated agent: the agent double (actors/agent_double) with the simulation's latencies
/// and faults. Pulls, creates and destroys finish after latencies drawn from the configured
/// distributions and report the same events a real agent reports (image pulls, kernel
/// preparing/creating/started/terminated) to the event sink in its ledger; with no pull latency
/// the images are the agent's already, and a pull reports only its end. A faulty agent fails
/// every create_kernels (`fails_create`) or never answers it (`hangs`); a `silent` one answers
/// everything but stops heartbeating, which the heartbeat driver (not the agent) implements.

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/agent_double/ledger.hpp"
#include "messages/agent_interface.hpp"
#include "tools/baikal-sim/latency.hpp"

namespace baikal::sim {

enum class agent_fault { none, fails_create, hangs, silent };

std::string to_string(agent_fault x);

struct sim_agent_config {
  agent_id id;
  agent_fault fault = agent_fault::none;
  latency pull, create, destroy;
  uint64_t seed = 1;
  /// Its sink is set after registration and before any session is created.
  agent_double::ledger_ptr ledger = std::make_shared<agent_double::ledger>();
};

agent_actor spawn_sim_agent(caf::actor_system& sys, std::shared_ptr<sim_agent_config> config);

/// The message a failing agent's create_kernels answers, naming the agent.
std::string create_failure_message(const agent_id& id);

} // namespace baikal::sim
