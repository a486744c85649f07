#pragma once

/// How the agent keeps its kernel actors: it spawns and monitors them (never links: a CAF 0.17
/// link is two-way, and one kernel's failure once ended the agent and orphaned every other
/// kernel on the node), and ends them when it ends (agent_state's destructor).
///
/// A kernel actor that ends normally was destroyed: the agent forgets it. One that ends
/// abnormally failed (an exception in a handler: stop_alone.hpp has already answered its
/// requests). Its container is what matters to the user, so the agent checks it as a restart
/// of the agent would (kernel_recovery.hpp): still running, a new kernel actor serves it, and
/// the session never notices beyond the request that failed; gone or stopped, the kernel is
/// cleaned up and reported with KernelTerminatedEvent "kernel-actor-failed", which ends its
/// session. A kernel whose actor keeps failing (more than max_kernel_recoveries times within
/// kernel_recovery_window) is given up the same way. While the container is checked, requests
/// for the kernel answer unavailable; when the engine cannot answer, the next request for the
/// kernel checks again.

#include <chrono>
#include <string>

#include <caf/error.hpp>

#include "actors/agent/image_ops.hpp"

namespace baikal {

constexpr int max_kernel_recoveries = 3;
constexpr auto kernel_recovery_window = std::chrono::minutes(10);

/// The reason of the KernelTerminatedEvent of a kernel whose actor failed and that could not
/// be served again.
constexpr const char* kernel_actor_failed = "kernel-actor-failed";

/// Spawns and monitors the kernel actor of `info` (its container runs), and registers it.
void serve_kernel(agent_pointer self, const kernel_info& info, const cluster_info& cluster);

/// The kernel actor `who` ended with `reason`; answers false when `who` was not a kernel.
bool on_kernel_down(agent_pointer self, const caf::actor_addr& who, const caf::error& reason);

/// Checks the container of kernel `id` (its actor failed or is gone) and serves it again with a
/// new kernel actor, or gives it up when its container does not run any more. The reusable
/// recovery of one kernel: call it for any kernel whose actor must be rebuilt from its container.
void recover_kernel(agent_pointer self, const kernel_id& id);

/// unavailable for a kernel being recovered (and a new check when none runs), none otherwise.
caf::error refuse_while_recovering(agent_pointer self, const kernel_id& id);

/// Whether a kernel that failed at `failures` (oldest first) may be recovered once more at
/// `now`; drops the failures older than the window.
bool may_recover(std::vector<std::chrono::steady_clock::time_point>& failures,
                 std::chrono::steady_clock::time_point now);

} // namespace baikal
