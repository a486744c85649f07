// manager.toml's [timeouts]: each key read in seconds into the manager's timeouts, the defaults
// without the table or in deploy/manager.toml, and a wrong value refused naming its key.

#include <doctest/doctest.h>

#include <string>

#include "messages/errors.hpp"
#include "support/why.hpp"
#include "tools/baikal-manager/manager_config.hpp"

using namespace baikal;
using std::chrono::seconds;

namespace {

bool same(const manager_timeouts& a, const manager_timeouts& b) {
  return a.store_load == b.store_load && a.store_call == b.store_call &&
         a.store_agent_write == b.store_agent_write && a.agent_sync == b.agent_sync &&
         a.kernel_destroy == b.kernel_destroy && a.attempt_cleanup == b.attempt_cleanup &&
         a.internal_call == b.internal_call && a.termination_lookup == b.termination_lookup &&
         a.network_plugin_call == b.network_plugin_call &&
         a.image_pull_request == b.image_pull_request;
}

} // namespace

TEST_CASE("manager config: [timeouts] sets each wait, the defaults stand without it") {
  auto cfg = parse_manager_config("[timeouts]\nstore-load = 1\nstore-call = 2\n"
                                  "store-agent-write = 3\nagent-sync = 4\nkernel-destroy = 5\n"
                                  "attempt-cleanup = 6\ninternal-call = 7\n"
                                  "termination-lookup = 8\nnetwork-plugin-call = 86400\n"
                                  "image-pull-request = 11\n",
                                  "t.toml");
  REQUIRE_MESSAGE(cfg, message_of(cfg.error()));
  auto& t = cfg->manager.timeouts;
  CHECK(t.store_load == seconds{1});
  CHECK(t.store_call == seconds{2});
  CHECK(t.store_agent_write == seconds{3});
  CHECK(t.agent_sync == seconds{4});
  CHECK(t.kernel_destroy == seconds{5});
  CHECK(t.attempt_cleanup == seconds{6});
  CHECK(t.internal_call == seconds{7});
  CHECK(t.termination_lookup == seconds{8});
  CHECK(t.network_plugin_call == seconds{86400});
  CHECK(t.image_pull_request == seconds{11});

  auto plain = parse_manager_config("", "t.toml");
  REQUIRE(plain);
  CHECK(same(plain->manager.timeouts, manager_timeouts{}));
  CHECK(same(default_manager_config().manager.timeouts, manager_timeouts{}));
  auto partial = parse_manager_config("[timeouts]\nstore-call = 9\n", "t.toml");
  REQUIRE(partial);
  CHECK(partial->manager.timeouts.store_call == seconds{9});
  CHECK(partial->manager.timeouts.store_load == manager_timeouts{}.store_load);
}

TEST_CASE("manager config: deploy/manager.toml lists the timeouts' defaults") {
  auto cfg = load_manager_config(std::string{BAIKAL_SOURCE_DIR} + "/deploy/manager.toml");
  REQUIRE_MESSAGE(cfg, baikal::test::why(cfg));
  CHECK(same(cfg->manager.timeouts, manager_timeouts{}));
}

TEST_CASE("manager config: a timeout out of range or not a number is refused with its key") {
  for (auto text : {"[timeouts]\nstore-call = 0\n", "[timeouts]\nstore-call = 86401\n",
                    "[timeouts]\nstore-call = -5\n", "[timeouts]\nstore-call = \"60\"\n",
                    "[timeouts]\nstore-call = 1.5\n"}) {
    INFO(text);
    auto cfg = parse_manager_config(text, "t.toml");
    REQUIRE_FALSE(cfg);
    CHECK(code_of(cfg.error()) == errc::invalid_argument);
    CHECK(message_of(cfg.error()).find("timeouts.store-call") != std::string::npos);
  }
  auto unknown = parse_manager_config("[timeouts]\nstore-cal = 60\n", "t.toml");
  REQUIRE_FALSE(unknown);
  CHECK(message_of(unknown.error()).find("timeouts.store-cal") != std::string::npos);
}
