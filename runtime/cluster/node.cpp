#include "runtime/cluster/node.hpp"

#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/cluster/openssl_error_queue.hpp"
#include "runtime/logging/log.hpp"

namespace baikal::cluster {

void configure_node(caf::actor_system_config& cfg, const tls_settings& tls) {
  cfg.load<caf::io::middleman>();
  if (!tls.enabled())
    return;
  cfg.openssl_certificate = tls.certificate;
  cfg.openssl_key = tls.key;
  cfg.openssl_cafile = tls.ca;
  cfg.load<caf::openssl::manager>();
  // Also what links the wrappers into every binary that sets up a node (see the header).
  if (!openssl_error_queue_cleared_per_call())
    log::get("cluster")->warn("OpenSSL's error queue is not cleared before each TLS call: a "
                              "refused peer may drop other TLS connections of this node");
}

caf::io::middleman_actor node_middleman(caf::actor_system& sys, const tls_settings& tls) {
  if (tls.enabled() && sys.has_openssl_manager())
    return sys.openssl_manager().actor_handle();
  return sys.middleman().actor_handle();
}

caf::expected<uint16_t> publish_actor(caf::actor_system& sys, caf::strong_actor_ptr whom,
                                      std::set<std::string> ifs, const host_port& listen,
                                      const tls_settings& tls) {
  if (!whom)
    return make_error(errc::invalid_argument, "cannot publish an invalid actor");
  if (tls.enabled() && !sys.has_openssl_manager())
    return make_error(errc::runtime_error,
                      "TLS is configured but the node was set up without it (configure_node)");
  caf::expected<uint16_t> out{caf::error{}};
  caf::scoped_actor self{sys};
  // Binding a port is quick; a minute only guards against a wedged middleman.
  self->request(node_middleman(sys, tls), std::chrono::minutes(1), caf::publish_atom::value,
                listen.port, std::move(whom), std::move(ifs), listen.host, true)
      .receive([&](uint16_t port) { out = port; },
               [&](caf::error& err) {
                 out = make_error(errc::runtime_error,
                                  "cannot listen on " + to_string(listen) + ": " + sys.render(err));
               });
  return out;
}

caf::expected<host_port> parse_host_port(const std::string& text) {
  auto bad = [&] {
    return make_error(errc::invalid_argument,
                      "invalid address \"" + text + "\": expected HOST:PORT, e.g. 10.0.0.5:6100");
  };
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return bad();
  auto host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  auto port = checks::parse_unsigned(text.substr(colon + 1), 65535);
  if (host.empty() || !port)
    return bad();
  return host_port{host, static_cast<uint16_t>(*port)};
}

std::string to_string(const host_port& addr) {
  if (addr.host.find(':') != std::string::npos)
    return "[" + addr.host + "]:" + std::to_string(addr.port);
  return addr.host + ":" + std::to_string(addr.port);
}

} // namespace baikal::cluster
