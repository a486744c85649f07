#include <doctest/doctest.h>

#include "messages/errors.hpp"
#include "runtime/cluster/tls_settings.hpp"
#include "runtime/config/agent_config.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;

TEST_CASE("cluster: the agent's TLS files and manager address come from [tls] and [manager]") {
  auto cfg = parse_agent_config(R"(
[manager]
address = { host = "10.1.2.3", port = 6200 }
[tls]
certificate = "/etc/baikal/certs/agent-1.crt"
key = "/etc/baikal/certs/agent-1.key"
ca = "/etc/baikal/certs/ca.crt"
)");
  REQUIRE(cfg);
  CHECK(cfg->manager_address.host == "10.1.2.3");
  CHECK(cfg->manager_address.port == 6200);
  CHECK(cfg->tls_certificate == "/etc/baikal/certs/agent-1.crt");
  CHECK(cfg->tls_key == "/etc/baikal/certs/agent-1.key");
  CHECK(cfg->tls_ca == "/etc/baikal/certs/ca.crt");
}

TEST_CASE("cluster: by default an agent joins 127.0.0.1:6100 over plain TCP") {
  auto cfg = default_agent_config();
  CHECK(cfg.manager_address.host == "127.0.0.1");
  CHECK(cfg.manager_address.port == 6100);
  CHECK(cfg.tls_certificate.empty());
  CHECK(cfg.tls_key.empty());
  CHECK(cfg.tls_ca.empty());
}

TEST_CASE("cluster: a TLS path that is not a string is refused with the key's name") {
  auto cfg = parse_agent_config("[tls]\ncertificate = 3\n");
  REQUIRE_FALSE(cfg);
  CHECK(message_of(cfg.error()).find("tls.certificate must be a string") != std::string::npos);
}

TEST_CASE("cluster: the documented deploy/agent.toml parses") {
  auto cfg = load_agent_config(std::string{BAIKAL_SOURCE_DIR} + "/deploy/agent.toml");
  REQUIRE_MESSAGE(cfg, why(cfg));
  CHECK(cfg->id == "agent-1");
  CHECK(cfg->manager_address.port == 6100);
  CHECK(cfg->tls_certificate.empty());
  CHECK(cfg->ignored_keys.empty()); // it documents only keys Baikal reads
}
