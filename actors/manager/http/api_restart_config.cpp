#include "actors/manager/http/api_requests.hpp"

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
  kernel_creation_config cfg;
  auto img = images.find(binding->image);
  if (img != images.end()) {
    cfg.image = img->second;
  } else {
    cfg.image.canonical = binding->image;
    cfg.image.architecture = binding->architecture;
  }
  cfg.kernel = binding->id;
  cfg.session = s.id;
  cfg.owner_user_id = s.user_uuid;
  cfg.owner_project_id = s.project_id;
  cfg.network_id = rec.network_id;
  cfg.type = s.type;
  cfg.mode = s.mode;
  cfg.role = binding->role;
  cfg.cluster_idx = binding->cluster_idx;
  cfg.local_rank = binding->local_rank;
  cfg.cluster_hostname = binding->cluster_hostname;
  cfg.uid = binding->uid;
  cfg.main_gid = binding->main_gid;
  cfg.slots = binding->slots;
  cfg.environ = s.environ;
  cfg.mounts = s.mounts;
  cfg.idle_timeout = s.idle_timeout;
  cfg.preopen_ports = s.preopen_ports;
  cfg.agent_addr = binding->agent_addr;
  cfg.scaling_group = s.scaling_group;
  return cfg;
}

} // namespace baikal
