// baikal-manager's TOML config: the embedded defaults, the shipped deploy/manager.toml, every
// key's place in the settings, and errors that name the key to fix.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "messages/errors.hpp"
#include "support/why.hpp"
#include "tools/baikal-manager/manager_config.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

/// The error message parsing `text` as "bad.toml" gives; empty when it parses.
std::string config_error_of(const std::string& text) {
  auto cfg = parse_manager_config(text, "bad.toml");
  return cfg ? std::string{} : message_of(cfg.error());
}

const char* alice = R"(
[[users]]
name = "alice"
uuid = "uuid-a"
token = "token-alice-1"
)";

} // namespace

TEST_CASE("manager config: the embedded defaults, and an empty file keeps them") {
  for (auto cfg : {default_manager_config(), *parse_manager_config("", "empty.toml")}) {
    CHECK(cfg.manager.store_path == "var/manager.db");
    CHECK(cfg.manager.default_scaling_group == "default");
    CHECK(cfg.manager.scheduling_policy == "concentrated");
    CHECK(cfg.manager.heartbeat_interval == 2s);
    CHECK(cfg.manager.missed_heartbeats_until_lost == 3);
    CHECK(cfg.manager.session_start_timeout == 1800s);
    CHECK(cfg.manager.phase_probe_after == 30s);
    CHECK(cfg.manager.max_starting == 512);
    CHECK(cfg.manager.park_idle_after == 10s);
    CHECK(cfg.manager.default_network_driver == "overlay");
    CHECK(cfg.manager.launch_retries == 2);
    CHECK(cfg.manager.quarantine.failures_until_quarantine == 3);
    CHECK(cfg.manager.quarantine.first_backoff == 10s);
    CHECK(cfg.manager.quarantine.max_backoff == 600s);
    CHECK(cfg.manager.cluster_key_type == ssh::cluster_key_type::rsa);
    CHECK(cfg.manager.keygen_workers == 2);
    CHECK(cfg.manager.cluster_keys_made_ahead == 2);
    CHECK(cfg.manager.images.empty());
    CHECK(cfg.api.host == "127.0.0.1");
    CHECK(cfg.api.port == 8090);
    CHECK(cfg.api.threads == 2);
    CHECK(cfg.api.users.empty());
    CHECK(cfg.api.max_json_bytes == 1024 * 1024);
    CHECK(cfg.api.max_upload_bytes == 64ull * 1024 * 1024);
    CHECK(cfg.api.manager_timeout == 30s);
    CHECK(cfg.api.agent_timeout == 120s);
    CHECK(cfg.api.long_timeout == 600s);
    CHECK(cfg.api.stop_grace == 60s);
    CHECK(cfg.agents.listen.host == "127.0.0.1");
    CHECK(cfg.agents.listen.port == 6100);
    CHECK(!cfg.agents.tls.enabled());
    CHECK(cfg.network_docker_socket.empty());
  }
  CHECK(default_manager_config().config_path.empty());
}

TEST_CASE("manager config: deploy/manager.toml parses to what it documents") {
  auto path = std::string{BAIKAL_SOURCE_DIR} + "/deploy/manager.toml";
  auto cfg = load_manager_config(path);
  REQUIRE_MESSAGE(cfg, baikal::test::why(cfg));
  CHECK(cfg->config_path == path);
  CHECK(cfg->manager.store_path == "var/manager.db");
  CHECK(cfg->manager.scheduling_policy == "concentrated");
  CHECK(cfg->manager.heartbeat_interval == 2s);
  CHECK(cfg->manager.missed_heartbeats_until_lost == 3);
  CHECK(cfg->manager.session_start_timeout == 1800s);
  CHECK(cfg->manager.phase_probe_after == 30s);
  CHECK(cfg->manager.max_starting == 512);
  CHECK(cfg->manager.park_idle_after == 10s);
  CHECK(cfg->manager.default_idle_timeout == 0s); // sessions are never reaped unless asked
  CHECK(cfg->network_docker_socket.empty());      // commented out: no overlay plugin
  CHECK(cfg->api.port == 8090);
  CHECK(cfg->api.max_upload_bytes == 67108864);
  CHECK(cfg->api.long_timeout == 600s);
  CHECK(cfg->agents.listen.port == 6100);
  CHECK(!cfg->agents.tls.enabled());
  REQUIRE(cfg->api.users.size() == 2);
  CHECK(cfg->api.users[0].name == "alice");
  CHECK(cfg->api.users[0].uuid == "f38dea23-50fa-42a0-b5ae-338f5f4693f4");
  CHECK(cfg->api.users[1].name == "bob");
  REQUIRE(cfg->manager.images.size() == 2);
  auto& py = cfg->manager.images.at("python:3.9");
  CHECK(py.canonical == "cr.backend.ai/stable/python:3.9");
  CHECK(py.architecture == "x86_64");
  CHECK(!py.is_local);
  CHECK(py.auto_pull == auto_pull_policy::digest);
  CHECK(py.registry.name == "cr.backend.ai");
  CHECK(py.registry.url == "https://cr.backend.ai");
  auto& bb = cfg->manager.images.at("baikal-test/busybox:1");
  CHECK(bb.is_local);
  CHECK(bb.auto_pull == auto_pull_policy::none);
  CHECK(bb.architecture == "x86_64"); // defaulted
  // The catalogue users see keeps the file's order (the map above sorts by reference).
  REQUIRE(cfg->api.images.size() == 2);
  CHECK(cfg->api.images[0].reference == "python:3.9");
  CHECK(cfg->api.images[0].canonical == "cr.backend.ai/stable/python:3.9");
  CHECK(cfg->api.images[1].reference == "baikal-test/busybox:1");
  CHECK(cfg->api.images[1].is_local);
  // The limits deploy/manager.toml lists are the defaults.
  api_settings defaults;
  auto& a = cfg->api;
  CHECK(a.idle_timeout == defaults.idle_timeout);
  CHECK(a.header_timeout == defaults.header_timeout);
  CHECK(a.max_header_bytes == defaults.max_header_bytes);
  CHECK(a.max_target_bytes == defaults.max_target_bytes);
  CHECK(a.max_connections_per_address == defaults.max_connections_per_address);
  CHECK(a.limits.max_event_streams_per_user == defaults.limits.max_event_streams_per_user);
  CHECK(a.limits.max_cluster_size == defaults.limits.max_cluster_size);
  CHECK(a.limits.max_name_length == defaults.limits.max_name_length);
  CHECK(a.limits.max_code_bytes == defaults.limits.max_code_bytes);
  CHECK(a.limits.environ.max_entries == defaults.limits.environ.max_entries);
  CHECK(a.limits.environ.max_key_bytes == defaults.limits.environ.max_key_bytes);
  CHECK(a.limits.environ.max_value_bytes == defaults.limits.environ.max_value_bytes);
  CHECK(a.limits.max_purge_images == defaults.limits.max_purge_images);
}

TEST_CASE("manager config: the API's limits are read from [api] and checked") {
  auto cfg = parse_manager_config(R"(
[api]
idle-timeout = 30
header-timeout = 2.5
max-header-bytes = 8192
max-target-bytes = 4096
max-connections-per-address = 5
max-event-streams-per-user = 3
max-cluster-size = 16
max-name-length = 32
max-code-bytes = 2048
max-environ-entries = 10
max-environ-key-bytes = 20
max-environ-value-bytes = 30
max-purge-images = 40
)",
                                  "limits.toml");
  REQUIRE_MESSAGE(cfg, baikal::test::why(cfg));
  auto& a = cfg->api;
  CHECK(a.idle_timeout == 30s);
  CHECK(a.header_timeout == 2s); // whole seconds
  CHECK(a.max_header_bytes == 8192);
  CHECK(a.max_target_bytes == 4096);
  CHECK(a.max_connections_per_address == 5);
  CHECK(a.limits.max_event_streams_per_user == 3);
  CHECK(a.limits.max_cluster_size == 16);
  CHECK(a.limits.max_name_length == 32);
  CHECK(a.limits.max_code_bytes == 2048);
  CHECK(a.limits.environ.max_entries == 10);
  CHECK(a.limits.environ.max_key_bytes == 20);
  CHECK(a.limits.environ.max_value_bytes == 30);
  CHECK(a.limits.max_purge_images == 40);
  CHECK(config_error_of("[api]\nmax-cluster-size = 0") ==
        "Invalid bad.toml: api.max-cluster-size must be an integer from 1 to 4096");
  CHECK(config_error_of("[api]\nmax-header-bytes = \"big\"") ==
        "Invalid bad.toml: api.max-header-bytes must be an integer from 1024 to 1048576");
  CHECK(config_error_of("[api]\nheader-timeout = 1e300") ==
        "Invalid bad.toml: api.header-timeout must be at most 31536000 seconds (a year)");
  CHECK(config_error_of("[api]\nmax-header-bytes = 2048\nmax-target-bytes = 4096") ==
        "Invalid bad.toml: api.max-target-bytes must be at most api.max-header-bytes (the target "
        "is part of the head)");
}

TEST_CASE("manager config: every key lands in its setting") {
  auto cfg = parse_manager_config(R"(
[manager]
store-path = "/srv/baikal/m.db"
default-scaling-group = "gpu"
scheduling-policy = "dispersed"
heartbeat-interval = 0.5
missed-heartbeats-until-lost = 7
session-start-timeout = 90
phase-probe-after = 4.5
max-starting = 64
park-idle-after = 2.5
session-idle-timeout = 3600
default-network-driver = "bridge"
launch-retries = 4
quarantine-after = 5
quarantine-backoff = 1.5
quarantine-max-backoff = 30
cluster-key-type = "ed25519"
keygen-workers = 4
cluster-keys-made-ahead = 16

[network]
docker-socket = "/run/swarm.sock"

[api]
listen = { host = "0.0.0.0", port = 9000 }
threads = 8
max-json-bytes = 2048
max-upload-bytes = 4096
manager-timeout = 11
agent-timeout = 12
long-timeout = 13
stop-grace = 14

[agents]
listen = { host = "10.0.0.1", port = 0 }

[tls]
certificate = "/c.crt"
key = "/c.key"
ca = "/ca.crt"

[[users]]
name = "alice"
uuid = "uuid-a"
token = "token-alice-1"

[[users]]
name = "bob"
uuid = "uuid-b"
token = "token-bob-22"

[[images]]
reference = "py"
canonical = "reg.example/lab/py:3"
architecture = "aarch64"
project = "lab"
digest = "sha256:aa"
repo-digest = "sha256:bb"
is-local = true
auto-pull = "tag"
registry = { name = "reg.example", url = "https://reg.example", username = "u", password = "p" }
)",
                                  "full.toml");
  REQUIRE_MESSAGE(cfg, baikal::test::why(cfg));
  auto& m = cfg->manager;
  CHECK(m.store_path == "/srv/baikal/m.db");
  CHECK(m.default_scaling_group == "gpu");
  CHECK(m.scheduling_policy == "dispersed");
  CHECK(m.heartbeat_interval == 500ms);
  CHECK(m.missed_heartbeats_until_lost == 7);
  CHECK(m.session_start_timeout == 90s);
  CHECK(m.phase_probe_after == 4500ms);
  CHECK(m.max_starting == 64);
  CHECK(m.park_idle_after == 2500ms);
  CHECK(m.default_idle_timeout == 3600s);
  CHECK(m.default_network_driver == "bridge");
  CHECK(m.launch_retries == 4);
  CHECK(m.quarantine.failures_until_quarantine == 5);
  CHECK(m.quarantine.first_backoff == 1500ms);
  CHECK(m.quarantine.max_backoff == 30s);
  CHECK(m.cluster_key_type == ssh::cluster_key_type::ed25519);
  CHECK(m.keygen_workers == 4);
  CHECK(m.cluster_keys_made_ahead == 16);
  CHECK(cfg->network_docker_socket == "/run/swarm.sock");
  auto& a = cfg->api;
  CHECK(a.host == "0.0.0.0");
  CHECK(a.port == 9000);
  CHECK(a.threads == 8);
  CHECK(a.max_json_bytes == 2048);
  CHECK(a.max_upload_bytes == 4096);
  CHECK(a.manager_timeout == 11s);
  CHECK(a.agent_timeout == 12s);
  CHECK(a.long_timeout == 13s);
  CHECK(a.stop_grace == 14s);
  CHECK(cfg->agents.listen.host == "10.0.0.1");
  CHECK(cfg->agents.listen.port == 0);
  CHECK(cfg->agents.tls.certificate == "/c.crt");
  CHECK(cfg->agents.tls.key == "/c.key");
  CHECK(cfg->agents.tls.ca == "/ca.crt");
  REQUIRE(a.users.size() == 2);
  CHECK(a.users[1].name == "bob");
  CHECK(a.users[1].uuid == "uuid-b");
  CHECK(a.users[1].token == "token-bob-22");
  REQUIRE(m.images.count("py") == 1);
  auto& img = m.images.at("py");
  CHECK(img.canonical == "reg.example/lab/py:3");
  CHECK(img.architecture == "aarch64");
  CHECK(img.project == "lab");
  CHECK(img.digest == "sha256:aa");
  CHECK(img.repo_digest == "sha256:bb");
  CHECK(img.is_local);
  CHECK(img.auto_pull == auto_pull_policy::tag);
  CHECK(img.registry.name == "reg.example");
  CHECK(img.registry.url == "https://reg.example");
  CHECK(img.registry.username == "u");
  CHECK(img.registry.password == "p");
}

TEST_CASE("manager config: a wrong value names its key and what it must be") {
  struct bad_case {
    const char* toml;
    const char* message;
  };
  bad_case cases[] = {
      {"[manager]\nheartbeat-interval = -1",
       "Invalid bad.toml: manager.heartbeat-interval must be a positive number of seconds"},
      {"[manager]\nheartbeat-interval = \"2s\"",
       "Invalid bad.toml: manager.heartbeat-interval must be a positive number of seconds"},
      {"[manager]\nsession-start-timeout = 0",
       "Invalid bad.toml: manager.session-start-timeout must be a positive number of seconds"},
      {"[manager]\nmissed-heartbeats-until-lost = 0",
       "Invalid bad.toml: manager.missed-heartbeats-until-lost must be an integer from 1 to 1000"},
      {"[manager]\nmissed-heartbeats-until-lost = 2.5",
       "Invalid bad.toml: manager.missed-heartbeats-until-lost must be an integer from 1 to 1000"},
      {"[manager]\ncluster-key-type = \"dsa\"",
       "Invalid bad.toml: manager.cluster-key-type must be \"rsa\" or \"ed25519\""},
      {"[manager]\ncluster-key-type = 1",
       "Invalid bad.toml: manager.cluster-key-type must be a string"},
      {"[manager]\nkeygen-workers = 0",
       "Invalid bad.toml: manager.keygen-workers must be an integer from 1 to 64"},
      {"[manager]\ncluster-keys-made-ahead = -1",
       "Invalid bad.toml: manager.cluster-keys-made-ahead must be an integer from 0 to 4096"},
      {"[manager]\nmax-starting = 0",
       "Invalid bad.toml: manager.max-starting must be an integer from 1 to 1000000"},
      {"[manager]\nmax-starting = \"many\"",
       "Invalid bad.toml: manager.max-starting must be an integer from 1 to 1000000"},
      {"[manager]\nlaunch-retries = -1",
       "Invalid bad.toml: manager.launch-retries must be an integer from 0 to 100"},
      {"[manager]\nsession-idle-timeout = -1",
       "Invalid bad.toml: manager.session-idle-timeout must be an integer from 0 to 31536000"},
      {"[manager]\nsession-idle-timeout = 1.5",
       "Invalid bad.toml: manager.session-idle-timeout must be an integer from 0 to 31536000"},
      {"[manager]\nquarantine-backoff = 0",
       "Invalid bad.toml: manager.quarantine-backoff must be a positive number of seconds"},
      {"[manager]\nquarantine-backoff = 60\nquarantine-max-backoff = 30",
       "Invalid bad.toml: manager.quarantine-max-backoff must be at least "
       "manager.quarantine-backoff"},
      {"[manager]\nscheduling-policy = \"random\"",
       "Invalid bad.toml: manager.scheduling-policy must be \"concentrated\" or \"dispersed\""},
      {"[manager]\nstore-path = 5", "Invalid bad.toml: manager.store-path must be a string"},
      {"[store]\nkind = \"mysql\"",
       "Invalid bad.toml: store.kind must be \"sqlite\" or \"postgres\""},
      {"[store]\nkind = \"postgres\"",
       "Invalid bad.toml: store.url must be a postgresql:// URL, e.g. "
       "\"postgresql://baikal@db.example/baikal\""},
      {"[store]\nkind = \"postgres\"\nurl = \"/var/lib/baikal.db\"",
       "Invalid bad.toml: store.url must be a postgresql:// URL, e.g. "
       "\"postgresql://baikal@db.example/baikal\""},
      {"[store]\nurl = \"postgresql://db/baikal\"",
       "Invalid bad.toml: store.url must be empty unless kind = \"postgres\" (SQLite uses "
       "manager.store-path)"},
      {"[store]\nkind = 1", "Invalid bad.toml: store.kind must be a string"},
      {"[network]\ndocker-socket = true",
       "Invalid bad.toml: network.docker-socket must be a string"},
      {"[api]\nlisten = { host = \"127.0.0.1\", port = 70000 }",
       "Invalid bad.toml: api.listen must be { host = \"...\", port = 0..65535 }"},
      {"[api]\nthreads = 0", "Invalid bad.toml: api.threads must be an integer from 1 to 64"},
      {"[api]\nmax-json-bytes = 10",
       "Invalid bad.toml: api.max-json-bytes must be an integer from 1024 to 1073741824"},
      {"[api]\nagent-timeout = -3",
       "Invalid bad.toml: api.agent-timeout must be a positive number of seconds"},
      {"[agents]\nlisten = \"127.0.0.1:6100\"",
       "Invalid bad.toml: agents.listen must be { host = \"...\", port = 0..65535 }"},
      {"[tls]\nca = 1", "Invalid bad.toml: tls.ca must be a string"},
      // The first wrong key is the one named.
      {"[manager]\nheartbeat-interval = 0\n[api]\nthreads = 0",
       "Invalid bad.toml: manager.heartbeat-interval must be a positive number of seconds"},
  };
  for (auto& c : cases) {
    CAPTURE(c.toml);
    CHECK(config_error_of(c.toml) == c.message);
    CHECK(code_of(parse_manager_config(c.toml, "bad.toml").error()) == errc::invalid_argument);
  }
}

TEST_CASE("manager config: an unknown key is an error that names it and the keys known there") {
  CHECK(config_error_of("[manager]\nmax-startng = 10") ==
        "Invalid bad.toml: unknown key manager.max-startng (known here: "
        "cluster-key-type, cluster-keys-made-ahead, default-network-driver, "
        "default-scaling-group, heartbeat-interval, keygen-workers, launch-retries, "
        "max-starting, missed-heartbeats-until-lost, park-idle-after, phase-probe-after, "
        "quarantine-after, quarantine-backoff, quarantine-max-backoff, scheduling-policy, "
        "session-idle-timeout, session-start-timeout, store-path)");
  CHECK(config_error_of("[agent]\nlisten = 1") ==
        "Invalid bad.toml: unknown key agent (known here: agents, api, images, manager, network, "
        "storage, store, timeouts, tls, users)");
  CHECK(config_error_of("[tls]\ncert = \"x\"") ==
        "Invalid bad.toml: unknown key tls.cert (known here: ca, certificate, key)");
  CHECK(config_error_of(std::string{alice} + "password = \"x\"") ==
        "Invalid bad.toml: unknown key users[0].password (known here: admin, name, token, uuid)");
  CHECK(config_error_of(
            "[[images]]\nreference = \"a:1\"\nregistry = { name = \"r\", user = \"u\" }") ==
        "Invalid bad.toml: unknown key images[0].registry.user (known here: name, password, url, "
        "username)");
  CHECK(code_of(parse_manager_config("[api]\nport = 1", "bad.toml").error()) ==
        errc::invalid_argument);
}

TEST_CASE("manager config: broken TOML names the file and the line") {
  auto message = config_error_of("[manager]\nheartbeat-interval = 2\n[api\n");
  CHECK(message.rfind("Invalid bad.toml (line 3", 0) == 0);
  auto missing = load_manager_config("/nonexistent/manager.toml");
  REQUIRE(!missing);
  CHECK(message_of(missing.error()) == "cannot read the config file /nonexistent/manager.toml");
}

TEST_CASE("manager config: [[users]] need a name, a uuid and their own token") {
  CHECK(config_error_of(alice).empty());
  CHECK(config_error_of("[[users]]\nname = \"alice\"\nuuid = \"u\"") ==
        "Invalid bad.toml: users[0] must be a table with a name, a uuid and a token of at least "
        "8 characters");
  CHECK(config_error_of("[[users]]\nname = \"alice\"\nuuid = \"u\"\ntoken = \"short\"") ==
        "Invalid bad.toml: users[0] must be a table with a name, a uuid and a token of at least "
        "8 characters");
  CHECK(config_error_of("[[users]]\nuuid = \"u\"\ntoken = \"token-123456\"") ==
        "Invalid bad.toml: users[0] must be a table with a name, a uuid and a token of at least "
        "8 characters");
  CHECK(config_error_of(std::string{alice} +
                        "[[users]]\nname = \"bob\"\nuuid = \"u-b\"\ntoken = 12") ==
        "Invalid bad.toml: users[1].token must be a string");
  CHECK(
      config_error_of(std::string{alice} +
                      "[[users]]\nname = \"bob\"\nuuid = \"uuid-b\"\ntoken = \"token-alice-1\"") ==
      "Invalid bad.toml: users[1].token is already users[0]'s: every user needs a token of "
      "their own");
  CHECK(
      config_error_of(std::string{alice} +
                      "[[users]]\nname = \"alice\"\nuuid = \"uuid-b\"\ntoken = \"token-bob-22\"") ==
      "Invalid bad.toml: users[1].name \"alice\" is already users[0]'s");
  CHECK(config_error_of(std::string{alice} +
                        "[[users]]\nname = \"bob\"\nuuid = \"uuid-a\"\ntoken = \"token-bob-22\"") ==
        "Invalid bad.toml: users[1].uuid uuid-a is already users[0]'s");
  CHECK(config_error_of("users = [1]") ==
        "Invalid bad.toml: users[0] must be a table with name, uuid and token");
  CHECK(config_error_of("users = \"alice\"") ==
        "Invalid bad.toml: users must be an array of tables ([[users]])");
}

TEST_CASE("manager config: [[images]] entries, their defaults and their errors") {
  auto cfg = parse_manager_config("[[images]]\nreference = \"busybox:1\"\n", "ok.toml");
  REQUIRE_MESSAGE(cfg, baikal::test::why(cfg));
  auto& img = cfg->manager.images.at("busybox:1");
  CHECK(img.canonical == "busybox:1"); // the reference itself
  CHECK(img.architecture == "x86_64");
  CHECK(img.auto_pull == auto_pull_policy::digest);
  CHECK(!img.is_local);
  CHECK(config_error_of("[[images]]\ncanonical = \"x\"") ==
        "Invalid bad.toml: images[0].reference must be the reference users give, e.g. "
        "\"python:3.9\"");
  CHECK(config_error_of("[[images]]\nreference = \"a\"\nauto-pull = \"always\"") ==
        "Invalid bad.toml: images[0].auto-pull must be \"digest\", \"tag\" or \"none\"");
  CHECK(config_error_of("[[images]]\nreference = \"a\"\n[[images]]\nreference = \"b\"\nis-local = "
                        "\"yes\"") == "Invalid bad.toml: images[1].is-local must be true or false");
  CHECK(config_error_of("[[images]]\nreference = \"a\"\nregistry = { url = 5 }") ==
        "Invalid bad.toml: images[0].registry.url must be a string");
  CHECK(config_error_of("[[images]]\nreference = \"a\"\n[[images]]\nreference = \"a\"") ==
        "Invalid bad.toml: images[1].reference must be unique: \"a\" is listed twice");
  CHECK(config_error_of("images = [\"a\"]") == "Invalid bad.toml: images[0] must be a table");
  CHECK(config_error_of("[images]\nreference = \"a\"") ==
        "Invalid bad.toml: images must be an array of tables ([[images]])");
}

TEST_CASE("manager config: admin = true on a user makes it an admin, users are not by default") {
  auto cfg = parse_manager_config(std::string{alice} + "admin = true\n" + R"(
[[users]]
name = "bob"
uuid = "uuid-b"
token = "token-bob-12"
)",
                                  "users.toml");
  REQUIRE_MESSAGE(cfg, baikal::test::why(cfg));
  REQUIRE(cfg->api.users.size() == 2);
  CHECK(cfg->api.users[0].admin);
  CHECK_FALSE(cfg->api.users[1].admin);
  CHECK(config_error_of(std::string{alice} + "admin = \"yes\"\n") ==
        "Invalid bad.toml: users[0].admin must be true or false");
  auto shipped = load_manager_config(std::string{BAIKAL_SOURCE_DIR} + "/deploy/manager.toml");
  REQUIRE_MESSAGE(shipped, baikal::test::why(shipped));
  CHECK(shipped->api.users.at(0).admin);       // alice, the example operator
  CHECK_FALSE(shipped->api.users.at(1).admin); // bob
}

TEST_CASE("manager config: [store] kind = \"postgres\" keeps the store at its URL, and the "
          "default is SQLite in manager.store-path") {
  auto sqlite = parse_manager_config("[manager]\nstore-path = \"/srv/m.db\"\n", "m.toml");
  REQUIRE(sqlite);
  CHECK(sqlite->manager.store_path == "/srv/m.db");
  CHECK(sqlite->manager.store_url.empty());
  auto pg = parse_manager_config(
      "[store]\nkind = \"postgres\"\nurl = \"postgresql://baikal:pw@db.example/baikal\"\n",
      "m.toml");
  REQUIRE(pg);
  CHECK(pg->manager.store_url == "postgresql://baikal:pw@db.example/baikal");
  CHECK(pg->manager.store_path == "var/manager.db"); // the admin token stays beside it
  auto short_scheme =
      parse_manager_config("[store]\nkind = \"postgres\"\nurl = \"postgres://db/b\"\n", "m");
  CHECK(short_scheme);
}
