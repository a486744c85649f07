#pragma once

// Statuses by the names the API and the store spell, for tests that read better with them.

#include <string>

#include <doctest/doctest.h>

#include "messages/status_types.hpp"

namespace baikal::test {

inline session_status session_status_named(const std::string& name) {
  auto status = session_status_from(name);
  REQUIRE_MESSAGE(status, "no session status " << name);
  return *status;
}

inline agent_status agent_status_named(const std::string& name) {
  auto status = agent_status_from(name);
  REQUIRE_MESSAGE(status, "no agent status " << name);
  return *status;
}

} // namespace baikal::test
