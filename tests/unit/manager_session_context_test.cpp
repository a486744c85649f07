// What every session actor of a manager shares, made from the manager's settings.

#include <doctest/doctest.h>

#include "actors/manager/manager.hpp"
#include "actors/manager/session_context.hpp"

using namespace baikal;

TEST_CASE("session context: the sessions' timings and retries come from the settings, a "
          "negative retry count as none") {
  manager_settings settings;
  settings.default_network_driver = "bridge";
  settings.phase_probe_after = std::chrono::milliseconds{250};
  settings.session_start_timeout = std::chrono::seconds{5};
  settings.park_idle_after = std::chrono::seconds{3};
  settings.launch_retries = 4;
  auto ctx = make_session_context(settings, {}, {}, {}, {}, {});
  CHECK(ctx.default_network_driver == "bridge");
  CHECK(ctx.phase_probe_after == std::chrono::milliseconds{250});
  CHECK(ctx.session_start_timeout == std::chrono::seconds{5});
  CHECK(ctx.park_idle_after == std::chrono::seconds{3});
  CHECK(ctx.launch_retries == 4);
  CHECK_FALSE(ctx.keypairs);
  CHECK_FALSE(ctx.front);
  settings.launch_retries = -1;
  CHECK(make_session_context(settings, {}, {}, {}, {}, {}).launch_retries == 0);
}
