#include "tools/baikal-sim/sim_agent.hpp"

#include "actors/agent_double/agent_double.hpp"
#include "messages/errors.hpp"

namespace baikal::sim {

namespace {

agent_double::delay delay_of(const latency& l) {
  if (l.is_zero())
    return {};
  return [l](std::mt19937_64& rng) { return caf::timespan{l.draw(rng)}; };
}

} // namespace

std::string to_string(agent_fault x) {
  switch (x) {
  case agent_fault::fails_create:
    return "fails-create";
  case agent_fault::hangs:
    return "hangs";
  case agent_fault::silent:
    return "silent";
  default:
    return "healthy";
  }
}

std::string create_failure_message(const agent_id& id) {
  return "simulated create_kernels failure on agent " + id;
}

agent_actor spawn_sim_agent(caf::actor_system& sys, std::shared_ptr<sim_agent_config> config) {
  agent_double::options opts;
  opts.id = config->id;
  opts.pull = delay_of(config->pull);
  // A pull that takes no time is an image the agent has: a real agent then reports only the
  // pull's end.
  opts.images_present = config->pull.is_zero();
  opts.create = delay_of(config->create);
  opts.destroy = delay_of(config->destroy);
  opts.seed = config->seed;
  opts.creates_hang = config->fault == agent_fault::hangs;
  if (config->fault == agent_fault::fails_create)
    config->ledger->fail<op::create_kernels>(
        make_error(errc::agent_error, create_failure_message(config->id)));
  return agent_double::spawn(sys, std::move(opts), config->ledger);
}

} // namespace baikal::sim
