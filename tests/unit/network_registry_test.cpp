// The network plugin registry: plugins by driver, and a not_found error that names the drivers
// that do exist (SC-LA-013's "helpful message").

#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "support/test_agent.hpp"

using namespace baikal;

TEST_CASE("network: the registry finds plugins by driver and lists the others") {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 1);
  caf::actor_system sys{cfg};
  auto rec = std::make_shared<test::recorder>();
  auto plugin = test::spawn_test_network_plugin(sys, rec, [](const std::string& id) {
    return caf::expected<network_info>{network_info{"net-" + id, {}}};
  });
  network_plugin_registry registry;
  CHECK(message_of(registry.find("overlay").error()).find("Available plugins: []") !=
        std::string::npos);
  registry.add("overlay", plugin);
  registry.add("bridge", plugin);
  CHECK(registry.drivers() == std::vector<std::string>{"bridge", "overlay"});
  auto found = registry.find("overlay");
  REQUIRE(found);
  auto missing = registry.find("weave");
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::not_found);
  CHECK(message_of(missing.error()) ==
        "Network plugin for driver 'weave' not found. Available plugins: ['bridge', 'overlay']");
  {
    caf::scoped_actor self{sys};
    self->request(*found, std::chrono::seconds{5}, net::create_network{"s1"})
        .receive([](network_info& info) { CHECK(info.network_id == "net-s1"); },
                 [](caf::error& err) { FAIL(message_of(err)); });
  }
  CHECK(rec->plugin_calls() == std::vector<std::string>{"s1"});
  caf::anon_send_exit(plugin, caf::exit_reason::user_shutdown);
}
