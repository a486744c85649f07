#include "tools/baikal-agent/serve.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"
#include "runtime/cluster/process_stop.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

cluster::tls_settings tls_of(const agent_config& cfg) {
  return {cfg.tls_certificate, cfg.tls_key, cfg.tls_ca};
}

int serve(caf::actor_system& sys, const agent_actor& agent, const manager_link_actor& link,
          const docker_actor& docker, const agent_config& cfg) {
  auto tls = tls_of(cfg);
  auto port = cluster::publish(sys, agent, cfg.rpc_listen_addr, tls);
  if (!port) {
    log::get("agent")->error("{}", message_of(port.error()));
    return 1;
  }
  auto served = host_port{cfg.rpc_listen_addr.host, *port};
  log::get("agent")->info("agent {} serves on {}{}", cfg.id, cluster::to_string(served),
                          tls.enabled() ? " (TLS)" : "");
  start_manager_link(link, agent, cluster::to_string(served));
  auto cause =
      cluster::wait_for_stop(sys, {{"the agent actor", caf::actor_cast<caf::actor>(agent)},
                                   {"the manager link", caf::actor_cast<caf::actor>(link)},
                                   {"the Docker actor", caf::actor_cast<caf::actor>(docker)}});
  if (!cause.signal) {
    for (auto& [actor, reason] : cause.ended)
      log::get("agent")->error("{} ended ({}); the agent process exits so that it is started "
                               "again (its kernels keep running and are recovered)",
                               actor, reason ? sys.render(reason) : "normally");
    return cluster::exit_code_of(cause);
  }
  log::get("agent")->info("signal {} received; shutting down", cause.signal);
  caf::scoped_actor self{sys};
  self->request(agent, std::chrono::minutes(5), op::shutdown{cause.signal})
      .receive([](ack) {},
               [](caf::error& err) {
                 log::get("agent")->error("shutdown failed: {}", message_of(err));
               });
  return 0;
}

} // namespace baikal
