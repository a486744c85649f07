#pragma once

/// The image check of create_kernels, shared by the kernels of one call that use the same
/// image: the image is inspected once, before those kernels take creation slots (an inspect
/// inside every slot queued behind the other kernels' create and start calls on the engine
/// and held each slot longer), and pulled at most once. Each kernel then reads the shared
/// outcome in its own slot, so it emits the events and fails with the error it would have
/// if it had checked the image itself; an image that is missing or cannot be inspected fails
/// only the kernels that use it.

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "actors/agent/image_ops.hpp"
#include "runtime/docker/images.hpp"

namespace baikal {

/// What one create_kernels call knows of one image.
struct image_check {
  enum class pull_phase { none, running, done, failed };

  bool inspect_sent = false;
  bool inspected = false;
  std::optional<docker::image_info> local; ///< nothing when the engine does not have it
  caf::error inspect_error;                ///< an inspect failure other than "not found"
  pull_phase pull = pull_phase::none;
  caf::error pull_error;
  /// Kernels waiting for the inspect (to take their slots) and for the pull.
  std::vector<std::function<void()>> inspect_waiters;
  std::vector<std::function<void(const caf::error&)>> pull_waiters;
};

/// What a kernel does with its image in its creation slot.
enum class image_step {
  fail,    ///< the inspect failed: the kernel fails with that error
  missing, ///< not on this agent and its policy forbids a pull
  pull,    ///< pull it (or wait for the pull of the same image already running)
  ready,   ///< go on creating
};

/// Whether a kernel's image must be pulled first, given what the engine has (`local`, nothing
/// when the image is missing) and the config's auto-pull policy.
bool needs_pull(const image_config& image, const std::optional<docker::image_info>& local);

/// The next step for a kernel whose image config is `image`, once `check` is inspected.
image_step next_image_step(const image_check& check, const image_config& image);

/// Calls `then` once `check` is inspected; the first waiter sends the inspect of `canonical`.
void when_inspected(agent_pointer self, const std::shared_ptr<image_check>& check,
                    const std::string& canonical, std::function<void()> then);

/// Pulls `image` once per check: the first caller starts the pull, later callers wait for it,
/// and a caller after it ended gets its outcome at once (no error: pulled).
void pull_once(agent_pointer self, const std::shared_ptr<image_check>& check,
               const image_config& image, std::function<void(const caf::error&)> done);

} // namespace baikal
