#include "tools/baikal-bench/instant_agent.hpp"

#include "actors/agent_double/agent_double.hpp"

namespace baikal::bench {

agent_actor spawn_instant_agent(caf::actor_system& sys, agent_id id,
                                std::shared_ptr<arrival_log> log) {
  agent_double::options opts;
  opts.id = std::move(id);
  opts.port = 30000;
  opts.destroy_unknown_fails = false;
  opts.watch<op::create_kernels>(
      [log](const op::create_kernels& x) { log->add(x.kernel_ids.size()); });
  // What the launcher never asks stays an error, so a bench that starts asking it shows.
  opts.refuse<op::update_scaling_group>();
  opts.refuse<op::gather_hwinfo>();
  opts.refuse<op::sync_kernel_registry>();
  opts.refuse<op::shutdown>();
  opts.refuse<op::release_port>();
  opts.refuse<op::check_pulling>();
  opts.refuse<op::check_creating>();
  opts.refuse<op::check_running>();
  return agent_double::spawn(sys, std::move(opts), std::make_shared<agent_double::ledger>());
}

} // namespace baikal::bench
