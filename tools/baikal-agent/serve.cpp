#include "tools/baikal-agent/serve.hpp"

#include <csignal>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// Blocks until SIGTERM or SIGINT arrives; answers the signal.
int wait_for_stop_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

} // namespace

cluster::tls_settings tls_of(const agent_config& cfg) {
  return {cfg.tls_certificate, cfg.tls_key, cfg.tls_ca};
}

int serve(caf::actor_system& sys, const agent_actor& agent, const manager_link_actor& link,
          const agent_config& cfg) {
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
  auto sig = wait_for_stop_signal();
  log::get("agent")->info("signal {} received; shutting down", sig);
  caf::scoped_actor self{sys};
  self->request(agent, std::chrono::minutes(5), op::shutdown{sig})
      .receive([](ack) {},
               [](caf::error& err) {
                 log::get("agent")->error("shutdown failed: {}", message_of(err));
               });
  return 0;
}

} // namespace baikal
