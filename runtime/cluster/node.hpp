#pragma once

/// Node set-up shared by baikal-manager and baikal-agent: which CAF modules a node loads, how it
/// offers an actor to other nodes and how it reaches one, plain or over TLS.
///
/// Order of use: validate_tls (before the actor system exists), configure_node on the
/// actor_system_config, then publish_actor / connect_remote (remote_connect.hpp) once the
/// system runs. Both sides must agree: a TLS node refuses a plain peer and the reverse.

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/actor_control_block.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <caf/io/middleman_actor.hpp>

#include "messages/kernel_types.hpp"
#include "runtime/cluster/tls_settings.hpp"

namespace baikal::cluster {

/// How long a connection to another node may stay silent before both ends close it (nodes
/// beat every second): longer than any pause of a live peer, short enough that an agent cut
/// off for longer rejoins on a fresh connection as soon as the link is back.
constexpr std::chrono::seconds connection_silence_limit{10};

/// Loads the middleman (closing connections silent for connection_silence_limit) and, when
/// `tls` is enabled, CAF's OpenSSL module with the node's certificate, key and CA. Validate
/// `tls` first (validate_tls): this does not read the files.
void configure_node(caf::actor_system_config& cfg, const tls_settings& tls);

/// The middleman actor connections go through: the OpenSSL one when the node has TLS.
caf::io::middleman_actor node_middleman(caf::actor_system& sys, const tls_settings& tls);

/// Offers `whom` (with its messaging interface `ifs`) to other nodes on `listen` (port 0 picks
/// one; the answer is the port). Blocking: call it from main, not from an actor.
caf::expected<uint16_t> publish_actor(caf::actor_system& sys, caf::strong_actor_ptr whom,
                                      std::set<std::string> ifs, const host_port& listen,
                                      const tls_settings& tls);

/// publish_actor for a typed handle.
template <class Handle>
caf::expected<uint16_t> publish(caf::actor_system& sys, const Handle& whom, const host_port& listen,
                                const tls_settings& tls) {
  return publish_actor(sys, caf::actor_cast<caf::strong_actor_ptr>(whom), sys.message_types(whom),
                       listen, tls);
}

/// "host:port" (or "[v6]:port") as a host_port; invalid_argument naming `text` otherwise.
caf::expected<host_port> parse_host_port(const std::string& text);

/// "host:port" for logs and registrations.
std::string to_string(const host_port& addr);

} // namespace baikal::cluster
