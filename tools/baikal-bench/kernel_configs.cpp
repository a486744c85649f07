#include "tools/baikal-bench/kernel_configs.hpp"

namespace baikal::bench {

kernel_creation_config bench_kernel_config(const std::string& image, const kernel_id& id,
                                           const session_id& session) {
  kernel_creation_config cfg;
  cfg.kernel = id;
  cfg.session = session;
  cfg.image.canonical = image;
  cfg.image.is_local = true;
  cfg.role = cluster_role::main;
  cfg.cluster_hostname = "main1";
  cfg.slots = {{"cpu", 1}, {"mem", 128.0 * 1024 * 1024}};
  cfg.environ = {{"BACKENDAI_KERNEL_ID", id}, {"BACKENDAI_SESSION_ID", session}};
  return cfg;
}

op::create_kernels bench_create_request(const std::string& image, const std::string& prefix,
                                        size_t count) {
  op::create_kernels req;
  req.session = prefix;
  for (size_t i = 0; i < count; ++i) {
    auto id = prefix + "-" + std::to_string(i);
    req.kernel_ids.push_back(id);
    req.configs.push_back(bench_kernel_config(image, id, req.session));
  }
  return req;
}

} // namespace baikal::bench
