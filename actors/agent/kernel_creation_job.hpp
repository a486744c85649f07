#pragma once

/// One kernel's way through the creation steps of the agent spec, each step one asynchronous
/// request, the way from step to step decided by next_creation_phase (creation_phase.hpp).
/// The job keeps itself alive through the callbacks of its requests; it ends running (its
/// kernel actor serves the kernel) or failed (what it made removed, the failure reported).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/agent/agent_state.hpp"
#include "actors/agent/creation_phase.hpp"
#include "actors/agent/image_check.hpp"
#include "actors/agent/kernel_spec.hpp"

namespace baikal {

/// What a job makes: a kernel, or a warm container for a pool (warm_pool.hpp), which goes
/// through the same steps but is no kernel yet: no events, no kernel actor, no registry entry.
enum class creation_purpose { kernel, warm_container };

class kernel_creation_job : public std::enable_shared_from_this<kernel_creation_job> {
public:
  using done_fn = std::function<void(caf::expected<kernel_info>)>;

  kernel_creation_job(agent_pointer self, kernel_creation_config cfg, cluster_info cluster,
                      done_fn done, std::shared_ptr<image_check> image,
                      creation_purpose purpose = creation_purpose::kernel);

  /// Before the slot, while the image is inspected: the scratch directories are local work
  /// no engine call waits for, so they need not hold a creation slot.
  void write_scratch();

  /// In its creation slot, with its image inspected.
  void start();

  const kernel_creation_config& config() const { return cfg_; }
  const std::shared_ptr<image_check>& image() const { return image_; }

private:
  kernel_event_header header(const char* reason = "") const;
  /// Emits `event` for a kernel; a warm container is no kernel, and its steps are nobody's news.
  template <class Event> void report(Event event) {
    if (purpose_ == creation_purpose::kernel)
      emit(self_, std::move(event));
  }
  /// Moves to the next phase; false (and nothing to do) when `e` cannot happen now.
  bool move(creation_event e);

  void scratch_written(caf::error err);
  void map_ports();
  caf::error take_host_ports();
  void prepare_network();
  void create_container();
  void start_container();
  void wait_runner();
  void finish();
  void quarantine_refused_ports();
  void remove_container();
  void remove_scratch_dirs();
  /// Cleans up what was made (container, scratch), reports the destroy and the failure.
  void fail(const char* reason, const caf::error& cause);

  // -- kernel_creation_retries.cpp: the engine refused a container create or start --

  /// After a failed container create or start: whether other host ports are being tried.
  bool retry_with_other_ports(const caf::error& err);
  /// After a failed container create or start: whether the kernel network is being made
  /// ready again (and the container made again on it).
  bool retry_with_network_again(const caf::error& err);
  /// Removes the failed container, then moves with `removed` and goes on with `next`.
  void replace_container(creation_event removed, void (kernel_creation_job::*next)());
  void remap_and_create();

  agent_pointer self_;
  kernel_creation_config cfg_;
  cluster_info cluster_;
  done_fn done_;
  std::shared_ptr<image_check> image_; ///< shared with the call's kernels of the same image
  creation_purpose purpose_;
  creation_phase phase_ = creation_phase::waiting_for_slot;
  /// When the job began and entered its phase: the debug log says how long each phase took.
  std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point phase_began_ = began_;
  scratch_state scratch_ = scratch_state::writing;
  caf::error scratch_error_;
  scratch_dirs dirs_;
  std::string container_id_;
  std::vector<service_port> services_; ///< with the host ports taken for them
  /// Host ports the engine refused to publish, kept out of the pool until the job ends (then
  /// quarantined for the kernels after it).
  std::vector<uint16_t> refused_ports_;
  int port_retries_ = 0;
  int network_retries_ = 0;
  /// The kernel network is removed before it is made ready again (see retry_with_network_again).
  bool renew_network_ = false;
};

} // namespace baikal
