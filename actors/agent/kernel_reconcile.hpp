#pragma once

/// The agent's kernels compared with the containers the engine lists for the agent (by its
/// label), after the engine came back or a kernel's container stopped: what to do so that
/// nothing says RUNNING that does not run, and no container is left that no kernel owns.
///
///  - a kernel whose container runs: nothing;
///  - a kernel whose container stopped or is gone: `lose` (the kernel ends, reported with
///    reason container-lost, its host ports and scratch directory freed);
///  - a kernel whose destroy failed while the engine was away: `destroy` (again);
///  - a container of this agent that no kernel owns (nor one being created or destroyed):
///    `remove`.
/// Kernels being created or destroyed are left alone: their containers come and go within the
/// creation, and a destroy removes its container itself (a second removal beside it would make
/// the destroy answer while the container is still there).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/agent/kernel_recovery.hpp"

namespace baikal {

/// A kernel as the agent serves it.
struct served_kernel {
  kernel_id id;
  std::string container; ///< the container id the agent knows for it
  /// The reason of a destroy that failed because the engine was away; empty when none.
  std::string destroy_reason;
};

struct reconcile_action {
  enum class kind : uint8_t { lose, destroy, remove };
  kind what = kind::lose;
  kernel_id kernel;
  std::string container;
  std::string detail;               ///< lose: what became of the container, for logs and events
  std::optional<int32_t> exit_code; ///< lose: when the engine still knows it
  std::string reason;               ///< destroy: the reason the destroy was asked with
};

std::string to_string(reconcile_action::kind x);

/// Whether a container in engine state `state` ("running", "exited", ...) still runs code.
bool container_runs(const std::string& state);

/// The exit code in a container list's Status ("Exited (137) 5 seconds ago"), if any.
std::optional<int32_t> exit_code_of_status(const std::string& status);

/// What to do, kernel by kernel and container by container (see the top of this file).
std::vector<reconcile_action> reconcile_kernels(const std::vector<served_kernel>& served,
                                                const std::set<kernel_id>& left_alone,
                                                const std::vector<labelled_container>& listed);

} // namespace baikal
