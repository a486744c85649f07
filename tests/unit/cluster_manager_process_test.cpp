// A real baikal-manager process whose agent registry ends exits non-zero (so that systemd starts
// it again) instead of serving on without a registry no agent can join.

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/remote_actor.hpp>
#include <caf/send.hpp>

#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/cluster/node.hpp"
#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
using namespace std::chrono_literals;

TEST_CASE("cluster: a manager process whose agent registry ended exits non-zero") {
  test::temp_dir dir{"baikal-manager-end"};
  auto ports = (dir.path / "ports").string();
  test::child_process manager{{BAIKAL_MANAGER_PATH, "--api-listen", "127.0.0.1:0",
                               "--agents-listen", "127.0.0.1:0", "--store",
                               (dir.path / "manager.db").string(), "--port-file", ports},
                              (dir.path / "manager.log").string()};
  uint16_t api_port = 0;
  uint16_t agents_port = 0;
  REQUIRE_MESSAGE(test::eventually(
                      [&] {
                        std::ifstream in{ports};
                        return static_cast<bool>(in >> api_port >> agents_port);
                      },
                      30s),
                  manager.output());
  caf::actor_system_config cfg;
  announce_message_types(cfg);
  cfg.set("scheduler.max-threads", 2);
  cluster::configure_node(cfg, {});
  caf::actor_system sys{cfg};
  sys.await_actors_before_shutdown(false);
  auto registry = caf::io::remote_actor<agent_registry_actor>(sys, "127.0.0.1", agents_port);
  REQUIRE_MESSAGE(registry, message_of(registry.error()));
  // An exit message from a peer ends a published actor (CAF delivers it like any other): here,
  // the manager's registry, as a failure of its own would.
  caf::anon_send_exit(*registry, caf::exit_reason::kill);
  auto rc = manager.wait_for(60s);
  CHECK_MESSAGE(rc == 1, manager.output());
  CHECK(manager.wrote("the agent registry ended"));
}
