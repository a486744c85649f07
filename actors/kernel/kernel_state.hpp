#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/kernel/kernel.hpp"
#include "actors/kernel/transfer_table.hpp"
#include "runtime/runner/runner_pool.hpp"

namespace baikal {

enum class kernel_phase { serving, destroying };

struct kernel_state {
  kernel_setup setup;
  caf::actor blocking; ///< run_blocking's executor (setup.blocking)
  /// Connections to the runner, kept between calls; shared with the calls still running.
  std::shared_ptr<runner::runner_pool> runners;
  kernel_phase phase = kernel_phase::serving;
  std::string destroy_reason; ///< while destroying
  /// Destroys asked for while one already ran (the agent's shutdown after the manager's
  /// destroy): answered with it, so nobody hears "destroyed" while the container is still there.
  std::vector<std::function<void(caf::error)>> destroy_waiters;
  /// Executions sent to the runner and not answered yet (bounded by max_concurrent_runs).
  uint32_t runs_in_flight = 0;
  /// Commits waiting for the one running on the same subdir, by subdir.
  std::map<std::string, std::deque<std::function<void()>>> commit_queues;
  /// Streamed uploads and downloads open on this kernel (kernel_transfers.hpp).
  transfer_table transfers;
  static inline const char* name = "baikal.kernel";
};

using kernel_pointer = kernel_actor::stateful_pointer<kernel_state>;

} // namespace baikal
