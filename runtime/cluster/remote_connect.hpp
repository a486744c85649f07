#pragma once

/// Reaching an actor another node published, without blocking the caller: the connection is
/// made by the node's middleman actor (the OpenSSL one with TLS) and the answer comes back as a
/// message to the calling actor, bounded by a timeout. A blocking caf::io::remote_actor would
/// stall an actor thread for as long as the TCP connect or TLS handshake takes, and hangs
/// outright on some TLS failures.

#include <set>
#include <string>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/node_id.hpp>
#include <chrono>

#include "runtime/cluster/node.hpp"

namespace baikal::cluster {

/// Checks what the middleman answered for `addr`: an actor is published there and it speaks
/// at least `wanted`. Errors are Baikal errors a person can read.
caf::expected<caf::strong_actor_ptr> accept_remote(caf::actor_system& sys,
                                                   caf::strong_actor_ptr ptr,
                                                   const std::set<std::string>& offered,
                                                   const std::set<std::string>& wanted,
                                                   const std::string& what, const host_port& addr);

/// Turns a failed connect into a message that says what to check (TLS handshake, refused
/// connection, timeout).
caf::error connect_failure(caf::actor_system& sys, const caf::error& err, const std::string& what,
                           const host_port& addr, bool tls);

/// Connects `self` to the `Handle` published at `addr` and calls `done(caf::expected<Handle>)`
/// in `self`'s context within `timeout`. `what` names the peer in errors ("the manager").
template <class Handle, class Self, class Done>
void connect_remote(Self* self, const tls_settings& tls, const host_port& addr,
                    std::chrono::milliseconds timeout, std::string what, Done done) {
  auto& sys = self->system();
  auto mm = node_middleman(sys, tls);
  bool use_tls = tls.enabled();
  self->request(mm, timeout, caf::connect_atom::value, addr.host, addr.port)
      .then(
          [self, addr, what, done](const caf::node_id&, caf::strong_actor_ptr& ptr,
                                   std::set<std::string>& offered) mutable {
            auto& actor_sys = self->system();
            auto ok = accept_remote(actor_sys, std::move(ptr), offered,
                                    actor_sys.template message_types<Handle>(), what, addr);
            if (ok)
              done(caf::expected<Handle>{caf::actor_cast<Handle>(std::move(*ok))});
            else
              done(caf::expected<Handle>{std::move(ok.error())});
          },
          [self, addr, what, done, use_tls](caf::error& err) mutable {
            done(caf::expected<Handle>{connect_failure(self->system(), err, what, addr, use_tls)});
          });
}

} // namespace baikal::cluster
