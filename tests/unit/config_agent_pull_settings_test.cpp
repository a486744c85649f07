// agent.toml's image pull settings: how long a pull may take and how often one that cannot
// reach its registry is tried again.

#include <doctest/doctest.h>

#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"

using namespace baikal;

TEST_CASE("agent config: image pulls default to an hour and five retries") {
  auto cfg = default_agent_config();
  CHECK(cfg.image_pull_timeout == doctest::Approx(3600.0));
  CHECK(cfg.image_pull_retries == 5);
}

TEST_CASE("agent config: docker.image-pull-timeout and -retries are read") {
  auto cfg = parse_agent_config("[docker]\nimage-pull-timeout = 12.5\nimage-pull-retries = 0\n");
  REQUIRE(cfg);
  CHECK(cfg->image_pull_timeout == doctest::Approx(12.5));
  CHECK(cfg->image_pull_retries == 0);
  CHECK(cfg->ignored_keys.empty());
}

TEST_CASE("agent config: a pull timeout that is not above 0, or too many retries, names the key") {
  auto zero = parse_agent_config("[docker]\nimage-pull-timeout = 0.0\n");
  REQUIRE_FALSE(zero);
  CHECK(code_of(zero.error()) == errc::invalid_argument);
  CHECK(message_of(zero.error()).find("docker.image-pull-timeout") != std::string::npos);
  for (auto text :
       {"[docker]\nimage-pull-timeout = 1e300\n", "[docker]\nimage-pull-timeout = inf\n",
        "[docker]\nimage-pull-timeout = nan\n", "[docker]\nimage-pull-timeout = 604801.0\n"}) {
    auto big = parse_agent_config(text);
    CAPTURE(text);
    REQUIRE_FALSE(big);
    CHECK(message_of(big.error()).find("docker.image-pull-timeout") != std::string::npos);
  }
  auto many = parse_agent_config("[docker]\nimage-pull-retries = 50\n");
  REQUIRE_FALSE(many);
  CHECK(message_of(many.error()).find("docker.image-pull-retries") != std::string::npos);
}
