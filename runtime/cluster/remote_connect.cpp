#include "runtime/cluster/remote_connect.hpp"

#include <caf/sec.hpp>

#include "messages/errors.hpp"

namespace baikal::cluster {

caf::expected<caf::strong_actor_ptr> accept_remote(caf::actor_system& sys,
                                                   caf::strong_actor_ptr ptr,
                                                   const std::set<std::string>& offered,
                                                   const std::set<std::string>& wanted,
                                                   const std::string& what, const host_port& addr) {
  if (!ptr)
    return make_error(errc::unavailable,
                      "nothing is published at " + to_string(addr) + " (expected " + what + ")");
  if (!sys.assignable(offered, wanted))
    return make_error(errc::invalid_argument, "the actor at " + to_string(addr) + " is not " +
                                                  what + ": its interface differs");
  return ptr;
}

caf::error connect_failure(caf::actor_system& sys, const caf::error& err, const std::string& what,
                           const host_port& addr, bool tls) {
  auto where = what + " at " + to_string(addr);
  if (err == caf::sec::request_timeout)
    return make_error(errc::timeout, "no answer from " + where + " in time");
  if (err == caf::sec::disconnect_during_handshake && tls)
    return make_error(errc::permission_denied,
                      "TLS handshake with " + where +
                          " failed: the peer refused this node's certificate or presented one not "
                          "signed by our CA (" +
                          sys.render(err) + ")");
  return make_error(errc::unavailable, "cannot reach " + where + ": " + sys.render(err));
}

} // namespace baikal::cluster
