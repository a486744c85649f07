#pragma once

/// The phases of one kernel's creation (kernel_creation_job.hpp) and the moves between them,
/// as a plain function: which step may follow which is decided here, once, so a late answer
/// (a scratch write finishing after the job failed, a container create answering after a
/// timeout) is recognised as late instead of being read from a set of flags.
///
///   slot → [pulling] → mapping_ports → [waiting_for_scratch] → networking → creating_container
///        → starting_container → waiting_for_runner → running
///   starting_container --ports_refused--> replacing_container --container_removed-->
///       creating_container (a create refused for its ports: --remapped--> creating_container)
///   creating_container --network_lost--> networking
///   starting_container --network_lost--> replacing_container --removed_for_network-->
///       networking (the container was made on a kernel network that is gone)
///   any phase but running --failure--> failed
///
/// The scratch directories are written beside this (before the slot, no engine call waits for
/// them): `scratch_state` is that second track.

#include <optional>

namespace baikal {

enum class creation_phase {
  waiting_for_slot,    ///< image inspected or being inspected; no creation slot yet
  pulling,             ///< in its slot, the image being pulled
  mapping_ports,       ///< KernelCreating sent; host ports being taken
  waiting_for_scratch, ///< ports taken, the scratch directories not written yet
  networking,          ///< the kernel network being made and fenced
  creating_container,
  starting_container,
  replacing_container, ///< removing a container to make it again (refused ports, lost network)
  waiting_for_runner,
  running, ///< handed to its kernel actor: the job is over
  failed,  ///< cleaned up and reported: the job is over
};

enum class creation_event {
  image_ready,         ///< in its slot, the image is present
  pull_needed,         ///< in its slot, the image must be pulled
  pulled,              ///< the pull finished
  ports_mapped,        ///< host ports taken, the scratch directories written
  ports_mapped_early,  ///< host ports taken, the scratch directories still being written
  scratch_written,     ///< the scratch directories are ready
  network_ready,       ///< the kernel network exists and is fenced
  network_lost,        ///< the kernel network found twice, or gone: make it ready again
  removed_for_network, ///< the container made on a lost network is gone: network first
  container_created,
  ports_refused,     ///< the engine could not publish the host ports: other ports
  container_removed, ///< the refused container is gone: create again
  remapped,          ///< other host ports taken without a container to remove
  container_started,
  runner_ready,
  failure,
};

enum class scratch_state { writing, written, failed };

/// The phase after `event` in `from`; nothing when the event cannot happen there (a late or
/// duplicate answer: the job ignores it). `failure` ends every phase but the final two.
std::optional<creation_phase> next_creation_phase(creation_phase from, creation_event event);

/// Whether the job is over (running or failed): answers that arrive now change nothing.
bool creation_over(creation_phase phase);

const char* to_string(creation_phase phase);

} // namespace baikal
