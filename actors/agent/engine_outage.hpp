#pragma once

/// What the agent does when its Docker engine goes away and comes back (engine_watch.hpp
/// notices both):
///  - engine_lost: the agent notes why, tells its manager link it is unhealthy (the manager
///    places no kernels there), and answers engine work (creations, pulls, commits, pushes,
///    purges, networks, logs) with `unavailable` naming the problem. A destroy that cannot
///    reach the engine, of a kernel or of a local network, is owed: done once it is back.
///  - engine_answers: the agent lists its containers and compares them with its kernels
///    (kernel_reconcile.hpp): kernels whose containers stopped or went are reported at once
///    with reason container-lost, then ended a few at a time (their containers removed, host
///    ports and scratch directories freed), owed destroys run, containers no kernel owns are
///    removed. Then it is healthy again.
///  - kernel_container_event: a kernel's container stopped; the same comparison (several
///    events while one runs make one more run).

#include "actors/agent/image_ops.hpp"

namespace baikal {

/// `unavailable` naming the engine's problem while it does not answer; none while it does.
caf::error engine_unavailable(const agent_state& st);

/// Runs `fn()` (answering caf::result<Result>) unless the engine is away.
template <class Result, class Fn> caf::result<Result> with_engine(agent_pointer self, Fn fn) {
  if (auto err = engine_unavailable(self->state))
    return err;
  return fn();
}

void on_engine_lost(agent_pointer self, const engine_lost& x);
void on_engine_answers(agent_pointer self, const engine_answers& x);
void on_kernel_container_event(agent_pointer self, const kernel_container_event& x);
/// A kernel ending itself: its container going is no news (kernel.hpp).
void on_kernel_destroys_itself(agent_pointer self, const kernel_destroys_itself& x);

/// Compares kernels with containers now, or after the comparison running (`epoch` is the
/// timer's: an older one does nothing).
void reconcile_with_engine(agent_pointer self, uint64_t epoch);

/// destroy_kernel: delegated to the kernel; a destroy the engine could not do is owed.
caf::result<ack> destroy_kernel(agent_pointer self, const op::destroy_kernel& x);

} // namespace baikal
