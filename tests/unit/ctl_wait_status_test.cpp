// What baikalctl shows of a session it waits for: the reason only when it says why the session
// waits.

#include <doctest/doctest.h>

#include "tools/baikalctl/wait_status.hpp"

using baikal::ctl::wait_status_line;

TEST_CASE("baikalctl wait: a PENDING session shows what its placement lacks") {
  CHECK(wait_status_line("PENDING", "no agent has 4 cpu free") ==
        "PENDING (no agent has 4 cpu free)");
  CHECK(wait_status_line("PENDING", "") == "PENDING");
}

TEST_CASE("baikalctl wait: a CREATING session waiting for its SSH keypair says so") {
  auto reason = "waiting for the session's SSH keypair before creating 1 kernel(s): 3 session(s) "
                "ahead, about 0.7 s at 175 ms a key";
  CHECK(wait_status_line("CREATING", reason) == std::string{"CREATING ("} + reason + ")");
}

TEST_CASE("baikalctl wait: a reason that only repeats the status is not shown") {
  CHECK(wait_status_line("CREATING", "creating 1 kernel(s)") == "CREATING");
  CHECK(wait_status_line("PULLING", "pulling img on agent a1") == "PULLING");
  CHECK(wait_status_line("RUNNING", "every kernel started") == "RUNNING");
}
