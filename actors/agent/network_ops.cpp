#include "actors/agent/network_ops.hpp"

#include <chrono>

#include "actors/agent/kernel_network.hpp"
#include "actors/agent/network_names.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/networks.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

caf::result<ack> create_local_network(agent_pointer self, const std::string& name) {
  if (auto err = validate_network_name(name))
    return err;
  docker::network_spec spec;
  spec.name = name;
  spec.driver = "bridge";
  spec.labels = {{"ai.backend.cluster-network", "1"}};
  auto promise = make_guarded_promise<ack>(self);
  self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                docker::network_create(spec))
      .then(
          [=](const docker_reply&) mutable {
            log::get("agent")->info("created local network {}", name);
            promise.deliver(ack{});
          },
          [=](caf::error& err) mutable {
            log::get("agent")->warn("could not create local network {}: {}", name, message_of(err));
            promise.deliver(std::move(err));
          });
  return promise;
}

caf::result<ack> destroy_local_network(agent_pointer self, const std::string& name) {
  auto promise = make_guarded_promise<ack>(self);
  self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                docker::network_delete(name))
      .then(
          [=](const docker_reply&) mutable {
            log::get("agent")->info("destroyed local network {}", name);
            sweep_kernel_fences(self); // its bridge is gone, and so is the need for its fence
            promise.deliver(ack{});
          },
          [=](caf::error& err) mutable {
            log::get("agent")->warn("could not destroy local network {}: {}", name,
                                    message_of(err));
            // The engine is away: the network goes once it answers again (engine_outage.hpp).
            if (code_of(err) == errc::unavailable)
              self->state.networks_owed.insert(name);
            // The engine answers 403 for a network with active endpoints: for our callers that
            // is a conflict with the network's users, not a permission problem.
            if (code_of(err) == errc::permission_denied)
              err = make_error(errc::conflict, message_of(err));
            promise.deliver(std::move(err));
          });
  return promise;
}

} // namespace baikal
