#pragma once

/// The host ports an agent hands out (HOST-mode SSH ports, service ports), from a configured
/// range. Plain state owned by the agent actor.

#include <cstdint>
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

private:
  uint16_t first_;
  uint16_t last_;
  std::set<uint16_t> used_;
};

} // namespace baikal
