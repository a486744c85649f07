#include "actors/manager/overlay_network_plugin.hpp"

#include <chrono>
#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// Docker's answer when a network of the swarm scope is asked of an engine outside a swarm.
constexpr const char* not_a_manager_text = "not a swarm manager";

struct overlay_plugin_state {
  docker_actor docker;
  std::chrono::seconds call_timeout = manager_timeouts{}.network_plugin_call;
  std::shared_ptr<spdlog::logger> log = log::get("network");
  static inline const char* name = "overlay-network-plugin";
};

using plugin_ptr = network_plugin_actor::stateful_pointer<overlay_plugin_state>;

docker_call with_timeout(docker_call c, std::chrono::seconds limit) {
  c.timeout_ms =
      static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(limit).count());
  return c;
}

/// A network of the name that is already there is ours when it is what we would have made:
/// a create re-sent after a lost answer then succeeds instead of failing with a conflict.
/// Until the swarm has allocated a new network (milliseconds), inspect shows it without a
/// driver; a local network always has one.
bool is_our_overlay(const docker::network_info& info) {
  auto label = info.labels.find("ai.backend.cluster-network");
  return (info.driver == "overlay" || info.driver.empty()) && info.attachable &&
         label != info.labels.end() && label->second == "1";
}

caf::result<network_info> create(plugin_ptr self, const net::create_network& x) {
  auto name = overlay_network_name(x.identifier);
  auto promise = make_guarded_promise<network_info>(self);
  auto docker = self->state.docker;
  self->request(docker, caf::infinite,
                with_timeout(docker::network_create(overlay_network_spec(x.identifier)),
                             self->state.call_timeout))
      .then(
          [self, promise, name](docker_reply&) mutable {
            self->state.log->info("created overlay network {}", name);
            promise.deliver(network_info{name, {}});
          },
          [self, promise, name, docker](caf::error& err) mutable {
            if (code_of(err) != errc::conflict) {
              auto out = overlay_create_error(err, name);
              self->state.log->error("{}", message_of(out));
              promise.deliver(std::move(out));
              return;
            }
            self->request(docker, caf::infinite,
                          with_timeout(docker::network_inspect(name), self->state.call_timeout))
                .then(
                    [self, promise, name, err](docker_reply& r) mutable {
                      auto info = docker::parse_network_info(r.body);
                      if (info && is_our_overlay(*info)) {
                        self->state.log->info("overlay network {} already exists", name);
                        promise.deliver(network_info{name, {}});
                        return;
                      }
                      self->state.log->error("a network {} that is not a cluster overlay is in "
                                             "the way: {}",
                                             name, r.body);
                      promise.deliver(overlay_create_error(err, name));
                    },
                    [self, promise, err, name](caf::error& why) mutable {
                      self->state.log->error("network {} exists but cannot be inspected: {}", name,
                                             message_of(why));
                      promise.deliver(overlay_create_error(err, name));
                    });
          });
  return promise;
}

caf::result<ack> destroy(plugin_ptr self, const net::destroy_network& x) {
  auto promise = make_guarded_promise<ack>(self);
  auto name = x.network_id;
  self->request(self->state.docker, caf::infinite,
                with_timeout(docker::network_delete(name), self->state.call_timeout))
      .then(
          [self, promise, name](docker_reply&) mutable {
            self->state.log->info("removed overlay network {}", name);
            promise.deliver(ack{});
          },
          [self, promise, name](caf::error& err) mutable {
            // Removing is what the caller wants: a network already gone is done.
            if (code_of(err) == errc::not_found) {
              self->state.log->info("overlay network {} was already gone", name);
              promise.deliver(ack{});
              return;
            }
            self->state.log->error("removing overlay network {}: {}", name, message_of(err));
            promise.deliver(std::move(err));
          });
  return promise;
}

network_plugin_actor::behavior_type overlay_plugin(plugin_ptr self, docker_actor docker,
                                                   std::chrono::seconds call_timeout) {
  self->state.docker = std::move(docker);
  self->state.call_timeout = call_timeout;
  stop_alone_on_exception(self, "the overlay network plugin");
  return {
      [self](net::create_network& x) { return create(self, x); },
      [self](net::destroy_network& x) { return destroy(self, x); },
  };
}

} // namespace

std::string overlay_network_name(const std::string& session_id) {
  return "bai-multinode-" + session_id;
}

docker::network_spec overlay_network_spec(const std::string& session_id) {
  docker::network_spec spec;
  spec.name = overlay_network_name(session_id);
  spec.driver = "overlay";
  spec.attachable = true;
  spec.labels = {{"ai.backend.cluster-network", "1"}};
  return spec;
}

caf::error overlay_create_error(const caf::error& docker_error, const std::string& network) {
  auto text = message_of(docker_error);
  if (text.find(not_a_manager_text) == std::string::npos)
    return make_error(code_of(docker_error),
                      "cannot create overlay network " + network + ": " + text);
  return make_error(errc::unavailable,
                    "cannot create overlay network " + network +
                        ": the manager's Docker engine is not a swarm manager; run `docker swarm "
                        "init` on it (or `docker swarm join` it to a swarm as a manager) and "
                        "have every agent's engine join that swarm (Docker said: " +
                        text + ")");
}

network_plugin_actor spawn_overlay_network_plugin(caf::actor_system& sys, docker_actor docker,
                                                  std::chrono::seconds call_timeout) {
  return sys.spawn(overlay_plugin, std::move(docker), call_timeout);
}

} // namespace baikal
