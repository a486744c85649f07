#pragma once

/// A node of the cluster inside the test process: its own actor system with the TLS material
/// of a real node (agent-1's certificate and key, say), as a node whose agent was modified or
/// replaced would have. It passes the TLS handshake, since the cluster CA signed its
/// certificate, and then asks the manager's registry whatever it likes.

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/cluster/node.hpp"

namespace baikal::test {

class impostor_node {
public:
  explicit impostor_node(cluster::tls_settings tls) : tls_(std::move(tls)) {
    announce_message_types(cfg_);
    cfg_.set("scheduler.max-threads", 2);
    cluster::configure_node(cfg_, tls_);
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    sys_->await_actors_before_shutdown(false);
  }

  /// The registry the manager publishes at `host`:`port`, through the TLS handshake.
  caf::expected<agent_registry_actor> connect(const std::string& host, uint16_t port) {
    caf::expected<agent_registry_actor> out{caf::error{}};
    caf::scoped_actor self{*sys_};
    self->request(cluster::node_middleman(*sys_, tls_), std::chrono::seconds{30},
                  caf::connect_atom::value, host, port)
        .receive(
            [&](const caf::node_id&, caf::strong_actor_ptr& ptr, std::set<std::string>&) {
              out = caf::actor_cast<agent_registry_actor>(std::move(ptr));
            },
            [&](caf::error& err) { out = std::move(err); });
    return out;
  }

  /// Registers as `id`, proving with this node's own certificate and key over a challenge of
  /// the registry (what a modified agent would do). The handle it offers is empty.
  caf::expected<agent_registration> register_as(const agent_registry_actor& registry,
                                                const agent_id& id) {
    auto signer = cluster::identity_signer::load(tls_);
    if (!signer)
      return std::move(signer.error());
    caf::expected<agent_registration> out{caf::error{}};
    caf::scoped_actor self{*sys_};
    auto limit = std::chrono::seconds{30};
    self->request(registry, limit, op::get_registration_challenge{id})
        .receive(
            [&](registration_challenge& c) {
              auto proof = (*signer)->prove(c.challenge, id);
              if (!proof) {
                out = std::move(proof.error());
                return;
              }
              op::register_agent req{id, "10.255.255.1:6001", "default", {{"cpu", 64}}, {},
                                     {}, std::move(*proof),   {}};
              self->request(registry, limit, std::move(req))
                  .receive([&](agent_registration& r) { out = std::move(r); },
                           [&](caf::error& err) { out = std::move(err); });
            },
            [&](caf::error& err) { out = std::move(err); });
    return out;
  }

private:
  cluster::tls_settings tls_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
};

} // namespace baikal::test
