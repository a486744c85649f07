#include "actors/manager/session_state.hpp"

#include <algorithm>

#include "actors/manager/launch_plan.hpp"

namespace baikal {

namespace {

/// The network the launcher gave the session, rebuilt from what is deterministic about it.
/// HOST clusters lose their per-kernel SSH ports here (the agent assigned them to the first
/// creation).
network_config network_of(session_ptr self) {
  auto& spec = self->state.spec();
  switch (launch::plan_network(spec)) {
  case launch::network_kind::local_bridge:
    return {"bridge", launch::single_node_network_name(spec.id), {}};
  case launch::network_kind::persistent:
    return {"bridge", launch::persistent_network_name(spec.network_id), {}};
  case launch::network_kind::host:
    return {"host", "", {}};
  case launch::network_kind::plugin:
    // The plugin's driver options are not kept; the network id is.
    return {self->state.ctx->default_network_driver, self->state.network_id, {}};
  case launch::network_kind::default_bridge:
    break;
  }
  return {"bridge", "", {}};
}

ssh_keypair keys_of(session_ptr self) {
  auto& source = self->state.ctx->keypairs;
  if (source)
    if (auto keys = source())
      return *keys;
  // Real RSA generation would block this actor; kernels created again go without cluster keys
  // (only SSH between the kernels of a cluster needs them).
  if (self->state.spec().kernels.size() > 1)
    self->state.log->warn("session {}: kernels created again get no cluster SSH keys",
                          self->state.spec().id);
  return {};
}

} // namespace

void resend_creates(session_ptr self, const agent_directory& dir,
                    const std::vector<kernel_id>& kernels) {
  auto& st = self->state;
  auto images = launch::resolve_images(st.spec(), *st.images);
  if (!images) {
    st.log->error("session {}: {}", st.spec().id, message_of(images.error()));
    return;
  }
  auto cluster = launch::make_cluster_info(st.spec(), network_of(self), keys_of(self), {});
  for (auto& [agent, bound] : launch::group_kernels_by_agent(st.spec())) {
    std::vector<kernel_binding> again;
    for (auto& k : bound)
      if (std::find(kernels.begin(), kernels.end(), k.id) != kernels.end())
        again.push_back(k);
    auto handle = dir.find(agent);
    if (again.empty() || handle == dir.end())
      continue;
    self->request(handle->second, st.ctx->session_start_timeout,
                  launch::make_create_kernels(st.spec(), again, *images, cluster))
        .then([](created_kernels&) {},
              [self, agent = agent](caf::error& err) {
                self->state.log->warn("session {}: re-sent create_kernels on agent {}: {}",
                                      self->state.spec().id, agent, message_of(err));
              });
  }
}

} // namespace baikal
