#include "actors/agent/port_pool.hpp"

#include <string>

#include "messages/errors.hpp"

namespace baikal {

port_pool::port_pool(uint16_t first, uint16_t last) : first_(first), last_(last) {
  // invariant: first_ <= last_
}

caf::expected<uint16_t> port_pool::assign() {
  for (uint32_t p = first_; p <= last_; ++p) {
    auto port = static_cast<uint16_t>(p);
    if (used_.insert(port).second)
      return port;
  }
  return make_error(errc::unavailable, "no free host port left in " + std::to_string(first_) + "-" +
                                           std::to_string(last_) +
                                           "; widen container.port-range or release ports");
}

bool port_pool::reserve(uint16_t port) {
  if (port < first_ || port > last_)
    return false;
  return used_.insert(port).second;
}

bool port_pool::release(uint16_t port) {
  quarantined_.erase(port);
  return used_.erase(port) > 0;
}

void port_pool::quarantine(uint16_t port, clock::time_point until) {
  if (used_.count(port))
    quarantined_[port] = until;
}

void port_pool::release_expired(clock::time_point now) {
  for (auto i = quarantined_.begin(); i != quarantined_.end();) {
    if (i->second <= now) {
      used_.erase(i->first);
      i = quarantined_.erase(i);
    } else {
      ++i;
    }
  }
}

size_t port_pool::free_count() const {
  return static_cast<size_t>(last_ - first_ + 1) - used_.size();
}

} // namespace baikal
