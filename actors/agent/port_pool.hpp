#pragma once

/// The host ports an agent hands out (HOST-mode SSH ports, service ports), from a configured
/// range. Plain state owned by the agent actor.

#include <chrono>
#include <cstdint>
#include <map>
#include <set>

#include <caf/expected.hpp>

namespace baikal {

class port_pool {
public:
  /// Ports `first` .. `last`, both included.
  port_pool(uint16_t first, uint16_t last);

  /// The lowest free port; errc::unavailable when the range is used up.
  caf::expected<uint16_t> assign();

  /// Marks `port` as used (a recovered kernel's port); false when it is outside or taken.
  bool reserve(uint16_t port);

  /// Frees `port`; false when it was not assigned.
  bool release(uint16_t port);

  size_t free_count() const;

  using clock = std::chrono::steady_clock;

  /// Keeps the assigned `port` out of use until `until`: the engine refused to publish it, so
  /// something the agent cannot probe (another engine's docker-proxy, another network
  /// namespace) holds it, and the next kernel should not try it again right away.
  void quarantine(uint16_t port, clock::time_point until);

  /// Frees the quarantined ports whose time has come (called before handing out ports, so the
  /// pool needs no timer).
  void release_expired(clock::time_point now);

  size_t quarantined_count() const { return quarantined_.size(); }

private:
  uint16_t first_;
  uint16_t last_;
  std::set<uint16_t> used_;
  std::map<uint16_t, clock::time_point> quarantined_; ///< a subset of used_
};

} // namespace baikal
