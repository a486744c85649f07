#pragma once

/// A stand-in for an agent, for tests, the simulation and benchmarks: one actor answering the
/// whole agent interface with no container behind it.
///
/// Its handlers are generated from agent_actor's signatures, so a new operation is answered
/// without an edit here. Each request goes, in this order, to: the watcher of its type, if any;
/// an "unsupported" error if its type is refused; the responder of its type, if any; the kernel
/// model below; and otherwise the same "unsupported" error.
///
/// The kernel model answers what the manager and launcher ask of an agent: check_and_pull,
/// create_kernels, destroy_kernel, sync_kernel_registry, the local networks, ports, probes,
/// ping, update_scaling_group, gather_hwinfo and shutdown. Pulls, creates and destroys finish
/// after the delays of the options (a delayed message to itself, never a sleep) and report the
/// events a real agent reports (image pulls, kernel preparing, creating, started, terminated)
/// to the ledger's sink. A failure set in the ledger is answered when the operation would have
/// finished. Send exit to every double before the actor system goes away.

#include <caf/actor_system.hpp>

#include "actors/agent_double/ledger.hpp"
#include "actors/agent_double/options.hpp"
#include "messages/agent_interface.hpp"

namespace baikal::agent_double {

/// A double configured by `opts` that keeps its state in `book`.
agent_actor spawn(caf::actor_system& sys, options opts, ledger_ptr book);

} // namespace baikal::agent_double
