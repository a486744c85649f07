#pragma once

/// The network side of kernel isolation, done before a kernel's container is created:
///  - kernels whose session has no network of its own (single-kernel sessions) join the
///    agent's kernel network, a bridge on which the engine keeps containers from reaching each
///    other (enable_icc=false); made here when missing, shared by every agent of the engine;
///  - the bridge device of whichever network a kernel joins (for an overlay, the engine's
///    docker_gwbridge) gets the host fence (runtime/firewall/host_fence.hpp), so that the
///    kernel cannot connect to its host, nor to the kernels of other fenced bridges.
/// A session's own networks (bai-singlenode-*, overlays) keep their kernels apart from other
/// sessions' by the engine's isolation between networks, and the fence holds without it.

#include <functional>
#include <string>
#include <vector>

#include "actors/agent/image_ops.hpp"
#include "runtime/docker/networks.hpp"

namespace baikal {

/// What the agent's kernel network is made with: a bridge named kernel_network_name whose
/// containers cannot reach each other.
docker::network_spec kernel_network_spec();

/// Makes `network_mode` (the container's network, kernel_network_mode) ready for a kernel: the
/// agent's kernel network is made if missing and refused if it lets containers talk to each
/// other; the network's bridge device is fenced off the host and the other kernel bridges; the
/// kernel network's id is left in the agent's state (containers join it by id). `done`
/// gets the error that keeps the kernel from being created, if any. Host networking is left as it
/// is: a kernel there is the host, as its session asked.
void prepare_kernel_network(agent_pointer self, const std::string& network_mode,
                            std::function<void(caf::error)> done);

/// Whether `err` is the engine refusing a network name that two networks carry. Docker 20.10
/// checks a new network's name against the others without a lock, so agents (or creations of
/// one agent) making the kernel network at the same moment can make two; the kernel network's
/// preparation then keeps one of them (the same one on every agent: the lowest id) and removes
/// the others, and a container create refused so is tried again after it.
bool names_ambiguous_network(const caf::error& err);

/// Whether a container create or start failed because the network `name` is gone or named
/// twice: another agent of the same engine removed the duplicate this container was made on,
/// or made one more. Making the network ready again and the container again fixes it.
bool lost_network(const caf::error& err, const std::string& name);

/// Of the networks listed, the id of the one named exactly `name` with the lowest id (the one
/// every agent keeps), empty when none is.
std::string kept_network(const std::vector<docker::network_info>& listed, const std::string& name);

/// Of the networks listed, those named exactly `name` but the one with the lowest id: what to
/// remove so that `name` names one network again.
std::vector<std::string> duplicate_networks(const std::vector<docker::network_info>& listed,
                                            const std::string& name);

/// Removes, off the agent's thread, the fence rules of bridge devices that are gone.
void sweep_kernel_fences(agent_pointer self);

} // namespace baikal
