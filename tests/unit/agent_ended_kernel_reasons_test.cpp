// The agent's record of why its kernels ended themselves: a reconciliation names that reason,
// and the record stays bounded.

#include <doctest/doctest.h>

#include "actors/agent/ended_kernel_reasons.hpp"

using namespace baikal;

TEST_CASE("ended kernel reasons: a remembered reason is named, an unknown kernel gets the "
          "fallback, and the oldest are forgotten past the capacity") {
  ended_kernel_reasons r{2};
  r.remember("k1", "exec-timeout");
  CHECK(r.reason_of("k1", "already-terminated") == "exec-timeout");
  CHECK(r.reason_of("k9", "already-terminated") == "already-terminated");
  r.remember("k2", "exec-timeout");
  r.remember("k3", "exec-timeout");
  CHECK(r.reason_of("k1", "already-terminated") == "already-terminated");
  CHECK(r.reason_of("k3", "already-terminated") == "exec-timeout");
}
