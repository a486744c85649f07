// agent.toml's [timeouts]: each key read in seconds into the agent's timeouts, the defaults
// without the table, and a wrong value refused naming its key.

#include <doctest/doctest.h>

#include <string>

#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"

using namespace baikal;
using std::chrono::seconds;

TEST_CASE("agent config: [timeouts] sets each engine timeout, the defaults stand without it") {
  auto cfg = parse_agent_config("[timeouts]\nengine-call = 5\ncontainer-create = 600\n"
                                "container-start = 7\ncontainer-remove = 8\nkernel-destroy = 9\n"
                                "image-delete = 12\n"
                                "commit = 10\npush = 11\n");
  REQUIRE_MESSAGE(cfg, message_of(cfg.error()));
  CHECK(cfg->timeouts.engine_call == seconds{5});
  CHECK(cfg->timeouts.container_create == seconds{600});
  CHECK(cfg->timeouts.container_start == seconds{7});
  CHECK(cfg->timeouts.container_remove == seconds{8});
  CHECK(cfg->timeouts.kernel_destroy == seconds{9});
  CHECK(cfg->timeouts.image_delete == seconds{12});
  CHECK(cfg->timeouts.commit == seconds{10});
  CHECK(cfg->timeouts.push == seconds{11});
  CHECK(cfg->ignored_keys.empty());

  auto plain = parse_agent_config("");
  REQUIRE(plain);
  CHECK(plain->timeouts.engine_call == agent_timeouts{}.engine_call);
  CHECK(plain->timeouts.push == agent_timeouts{}.push);
}

TEST_CASE("agent config: a timeout out of range or not a number is refused with its key") {
  for (auto text : {"[timeouts]\nengine-call = 0\n", "[timeouts]\nengine-call = 86401\n",
                    "[timeouts]\nengine-call = \"60\"\n", "[timeouts]\nengine-call = 1.5\n"}) {
    INFO(text);
    auto cfg = parse_agent_config(text);
    REQUIRE_FALSE(cfg);
    CHECK(code_of(cfg.error()) == errc::invalid_argument);
    CHECK(message_of(cfg.error()).find("timeouts.engine-call") != std::string::npos);
  }
}
