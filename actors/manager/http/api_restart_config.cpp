#include "actors/manager/http/api_requests.hpp"

#include "actors/manager/launch_plan.hpp"
#include "messages/errors.hpp"

namespace baikal {

caf::expected<kernel_creation_config>
restart_config_of(const session_record& rec, const kernel_id& kernel,
                  const std::map<std::string, image_config>& images) {
  auto& s = rec.spec;
  const kernel_binding* binding = nullptr;
  for (auto& k : s.kernels)
    if (k.id == kernel)
      binding = &k;
  if (!binding)
    return make_error(errc::not_found, "kernel " + kernel + " is not part of session " + s.id);
  // The launcher's own config, so the kernel comes back as it was created: the same
  // BACKENDAI_* variables, hostname and network.
  auto img = images.find(binding->image);
  if (img != images.end())
    return launch::make_kernel_creation_config(s, *binding, img->second);
  image_config image;
  image.canonical = binding->image;
  image.architecture = binding->architecture;
  return launch::make_kernel_creation_config(s, *binding, image);
}

} // namespace baikal
