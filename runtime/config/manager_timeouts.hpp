#pragma once

/// How long the manager's actors wait for each kind of answer, in one place. A wait that runs
/// out fails or skips that step (a log line, a session left for the agent's reconciliation)
/// instead of holding an actor's request open for good. manager.toml's [timeouts] table sets
/// them (tools/baikal-manager/manager_config.cpp; defaults in deploy/manager.toml).

#include <chrono>

namespace baikal {

struct manager_timeouts {
  using seconds = std::chrono::seconds;
  /// The start-up read of every agent and session record: the whole tables, before the
  /// manager serves anyone, so a large store gets longer than a single call.
  seconds store_load{120};
  /// A session actor's read of its own record (its network, before destroying it): one row,
  /// but behind every other session's writes in the store's mailbox.
  seconds store_call{60};
  /// The registry's write of an agent's record: nothing waits on it but the error log line.
  seconds store_agent_write{30};
  /// An agent's reconciliation of its kernels with the manager's list when it joins again:
  /// answered from memory, but an agent back from a partition has a backlog to work through.
  seconds agent_sync{60};
  /// An agent's or network plugin's destroy of a kernel or a session's network on termination;
  /// as long as the agent's own kernel-destroy, which covers the container's stop grace.
  seconds kernel_destroy{120};
  /// Each answer the clean-up of a failed launch attempt waits for (the registry's lookup, the
  /// agents' destroys): the session waits PENDING meanwhile, so shorter than a termination.
  seconds attempt_cleanup{30};
  /// Calls between the front and the registry, which both answer from memory.
  seconds internal_call{30};
  /// A terminating session's lookup of its agents in the registry: giving up leaves its kernels
  /// to the agents' next reconciliation, so it waits longer than other internal calls.
  seconds termination_lookup{60};
  /// The overlay network plugin's calls to the swarm's Docker engine: network calls are quick,
  /// and a much slower engine is stuck and the caller should hear of it.
  seconds network_plugin_call{30};
  /// An agent's acceptance of a check_and_pull: it answers with the pull jobs' ids at once, the
  /// pulls themselves run on (their progress comes as events).
  seconds image_pull_request{60};
};

} // namespace baikal
