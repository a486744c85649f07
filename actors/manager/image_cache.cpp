#include "actors/manager/image_cache.hpp"

#include <utility>

#include "actors/manager/session_request.hpp"

namespace baikal {

image_config image_cache::resolve(const std::string& reference) const {
  return resolve_image(reference, configured_);
}

shared_images image_cache::of_image(const image_config& image) {
  auto& cached = by_ref_[image.canonical];
  if (!cached)
    cached = std::make_shared<const std::map<std::string, image_config>>(
        std::map<std::string, image_config>{{image.canonical, image}});
  return cached;
}

shared_images image_cache::of_session(const scheduled_session& spec) const {
  std::map<std::string, image_config> out;
  for (auto& k : spec.kernels)
    out.emplace(k.image, resolve(k.image));
  return std::make_shared<const std::map<std::string, image_config>>(std::move(out));
}

} // namespace baikal
