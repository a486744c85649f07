#pragma once

/// An agent double for manager tests: it keeps the kernels it "runs" and the networks it
/// "made", answers the probes from that (check_running, check_creating, check_pulling), and
/// reports events to the sink in its log, or drops every event when told to (the manager must
/// then get by with the probes). Everything it did is in its thread-safe log, the double's
/// ledger (actors/agent_double/ledger.hpp). Send exit to every fake agent before the actor
/// system goes away.

#include <caf/actor_system.hpp>

#include "actors/agent_double/agent_double.hpp"

namespace baikal::test {

using fake_agent_log = agent_double::ledger;
using fake_agent_log_ptr = agent_double::ledger_ptr;

inline agent_actor spawn_fake_agent(caf::actor_system& sys, agent_id id, fake_agent_log_ptr log) {
  agent_double::options opts;
  opts.id = std::move(id);
  opts.pull_finished_message = "image already exists";
  // Agent-wide operations the manager tests never expect an answer to.
  opts.refuse<op::update_scaling_group>();
  opts.refuse<op::gather_hwinfo>();
  opts.refuse<op::shutdown>();
  return agent_double::spawn(sys, std::move(opts), std::move(log));
}

} // namespace baikal::test
