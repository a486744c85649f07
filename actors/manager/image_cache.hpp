#pragma once

/// The image configs the manager front launches sessions with: resolved from the configured
/// images (or made from the reference itself, see resolve_image) and shared, so that the
/// sessions of one image hold one map between them rather than a copy each.

#include <map>
#include <memory>
#include <string>

#include "messages/image_types.hpp"
#include "messages/session_types.hpp"

namespace baikal {

/// Image configs by canonical reference; sessions of the same image share one.
using shared_images = std::shared_ptr<const std::map<std::string, image_config>>;

class image_cache {
public:
  explicit image_cache(std::map<std::string, image_config> configured = {})
      : configured_(std::move(configured)) {}

  /// The config for `reference` as a user gives it.
  image_config resolve(const std::string& reference) const;

  /// The configs of one resolved image, the same map for every session of it (the settings do
  /// not change while the front runs, so a resolved reference stays valid).
  shared_images of_image(const image_config& image);

  /// The configs of a stored session's kernels, resolved again (after a restart, or for a
  /// parked session's actor spawned again).
  shared_images of_session(const scheduled_session& spec) const;

private:
  std::map<std::string, image_config> configured_;
  std::map<std::string, shared_images> by_ref_;
};

} // namespace baikal
