#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"
#include "support/temp_dir.hpp"
#include "support/why.hpp"

using namespace baikal;
namespace fs = std::filesystem;

using baikal::test::temp_dir;
using baikal::test::why;

namespace {

std::string error_text(const std::string& toml) {
  auto cfg = parse_agent_config(toml);
  REQUIRE_FALSE(cfg);
  CHECK(code_of(cfg.error()) == errc::invalid_argument);
  return message_of(cfg.error());
}

} // namespace

TEST_CASE("config: the embedded defaults parse to the documented values") {
  auto cfg = parse_agent_config(default_agent_config_toml());
  REQUIRE(cfg);
  CHECK(cfg->scaling_group == "default");
  CHECK(cfg->scratch_root == "./var/scratch");
  CHECK(cfg->var_base_path == "./var/lib");
  CHECK(cfg->base_commit_path == "./var/commit");
  CHECK(cfg->port_range_first == 30000);
  CHECK(cfg->port_range_last == 31000);
  CHECK(cfg->kernel_creation_concurrency == 4);
  CHECK(cfg->kernel_pids_limit == 4096);
  CHECK(cfg->kernel_open_files == 16384);
  CHECK(cfg->max_concurrent_runs == 16);
  CHECK(cfg->max_code_bytes == 1048576);
  CHECK(cfg->docker_socket == "/var/run/docker.sock");
  CHECK(cfg->rpc_listen_addr.port == 6001);
  CHECK(cfg->id.rfind("i-", 0) == 0); // "i-" + host name when not configured
  CHECK(cfg->config_path.empty());
  CHECK(cfg->ignored_keys.empty());
  CHECK(default_agent_config().scratch_root == cfg->scratch_root);
}

TEST_CASE("config: an empty file means every default") {
  auto cfg = parse_agent_config("");
  REQUIRE(cfg);
  CHECK(cfg->scaling_group == "default");
  CHECK(cfg->kernel_creation_concurrency == 4);
}

TEST_CASE("config: keys in the reference agent.toml layout are read") {
  auto cfg = parse_agent_config(R"(
[agent]
id = "i-node7"
scaling-group = "gpu"
rpc-listen-addr = { host = "0.0.0.0", port = 0 }
mode = "docker"          # a reference key Baikal ignores

[container]
scratch-root = "/srv/scratch"
var-base-path = "/var/lib/baikal"
base-commit-path = "/srv/commit"
port-range = [40000, 40010]
kernel-creation-concurrency = 8
kernel-uid = 1000
kernel-gid = 1000
kernel-pids-limit = 512
kernel-open-files = 4096

[docker]
socket = "/run/docker-alt.sock"

[manager]
address = { host = "10.0.0.1", port = 7000 }

[debug]
heartbeat-interval = 5
)");
  REQUIRE(cfg);
  CHECK(cfg->id == "i-node7");
  CHECK(cfg->scaling_group == "gpu");
  CHECK(cfg->rpc_listen_addr.host == "0.0.0.0");
  CHECK(cfg->rpc_listen_addr.port == 0);
  CHECK(cfg->scratch_root == "/srv/scratch");
  CHECK(cfg->var_base_path == "/var/lib/baikal");
  CHECK(cfg->base_commit_path == "/srv/commit");
  CHECK(cfg->port_range_first == 40000);
  CHECK(cfg->port_range_last == 40010);
  CHECK(cfg->kernel_creation_concurrency == 8);
  CHECK(cfg->kernel_uid == 1000);
  CHECK(cfg->kernel_pids_limit == 512);
  CHECK(cfg->kernel_open_files == 4096);
  CHECK(cfg->docker_socket == "/run/docker-alt.sock");
  CHECK(cfg->manager_address.host == "10.0.0.1");
  CHECK(cfg->manager_address.port == 7000);
  CHECK(cfg->heartbeat_interval == doctest::Approx(5.0));
  // Accepted, and named: the agent warns about them when it starts.
  CHECK(cfg->ignored_keys == std::vector<std::string>{"agent.mode"});
}

TEST_CASE("config: keys nothing reads are listed, misspelt ones and whole unknown tables too") {
  auto cfg = parse_agent_config(R"(
[agent]
scaling-grop = "gpu"
rpc-listen-addr = { host = "0.0.0.0", port = 6001 }

[container]
port-range = [30000, 30010]

[etcd]
addr = { host = "127.0.0.1", port = 2379 }
namespace = "local"
)");
  REQUIRE(cfg);
  CHECK(cfg->scaling_group == "default");
  CHECK(cfg->ignored_keys == std::vector<std::string>{"agent.scaling-grop", "etcd.addr.host",
                                                      "etcd.addr.port", "etcd.namespace"});
}

TEST_CASE("config: wrong values name the key and what it must be") {
  CHECK(error_text("[container]\nport-range = [31000, 30000]\n") ==
        "Invalid agent.toml: container.port-range must be "
        "[first, last] with 1 <= first <= last <= 65535");
  CHECK(error_text("[container]\nkernel-creation-concurrency = 64\n") ==
        "Invalid agent.toml: container.kernel-creation-concurrency must be an integer "
        "from 1 to 32");
  CHECK(error_text("[container]\nkernel-pids-limit = 0\n") ==
        "Invalid agent.toml: container.kernel-pids-limit must be an integer from 16 to 4194304");
  CHECK(error_text("[container]\nkernel-open-files = \"many\"\n") ==
        "Invalid agent.toml: container.kernel-open-files must be an integer from 64 to 1048576");
  CHECK(error_text("[container]\nmax-concurrent-runs = 0\n") ==
        "Invalid agent.toml: container.max-concurrent-runs must be an integer from 1 to 1024");
  CHECK(error_text("[container]\nmax-code-bytes = 1023\n") ==
        "Invalid agent.toml: container.max-code-bytes must be an integer from 1024 to 67108864");
  CHECK(error_text("[container]\nscratch-root = 5\n") ==
        "Invalid agent.toml: container.scratch-root must be a string");
  CHECK(error_text("[agent]\nrpc-listen-addr = \"0.0.0.0:6001\"\n").find("rpc-listen-addr") !=
        std::string::npos);
  CHECK(error_text("[agent]\nscaling-group = \"\"\n").find("must not be empty") !=
        std::string::npos);
  CHECK(error_text("[agent\nid = 1\n").find("at line 1") != std::string::npos);
}

TEST_CASE("config: load_agent_config reads a file and remembers its path") {
  temp_dir tmp;
  auto path = (tmp.path / "agent.toml").string();
  std::ofstream{path} << "[agent]\nscaling-group = \"sg1\"\n";
  auto cfg = load_agent_config(path);
  REQUIRE(cfg);
  CHECK(cfg->scaling_group == "sg1");
  CHECK(cfg->config_path == path);
  auto missing = load_agent_config((tmp.path / "none.toml").string());
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::runtime_error);
  CHECK(message_of(missing.error()).find("No such file or directory") != std::string::npos);
}

TEST_CASE("agent config: container.advertised-host takes an IP address and refuses anything else") {
  auto cfg = parse_agent_config("[container]\nadvertised-host = \"10.1.2.3\"\n", "agent.toml");
  REQUIRE_MESSAGE(cfg, why(cfg));
  CHECK(cfg->advertised_host == "10.1.2.3");
  auto v6 = parse_agent_config("[container]\nadvertised-host = \"fd00::5\"\n", "agent.toml");
  REQUIRE_MESSAGE(v6, why(v6));
  auto bad = parse_agent_config("[container]\nadvertised-host = \"a host\"\n", "agent.toml");
  REQUIRE_FALSE(bad);
  CHECK(message_of(bad.error()).find("container.advertised-host") != std::string::npos);
  auto none = parse_agent_config("", "agent.toml");
  REQUIRE(none);
  CHECK(none->advertised_host.empty());
}

TEST_CASE("config: [[warm-pool]] tables are read in order, size 1 when left out") {
  auto cfg = parse_agent_config("[[warm-pool]]\nimage = \"reg/proj/python:3\"\nsize = 3\n"
                                "[[warm-pool]]\nimage = \"reg/proj/busybox:1\"\n");
  REQUIRE(cfg);
  REQUIRE(cfg->warm_pools.size() == 2);
  CHECK(cfg->warm_pools[0].image == "reg/proj/python:3");
  CHECK(cfg->warm_pools[0].size == 3);
  CHECK(cfg->warm_pools[1].image == "reg/proj/busybox:1");
  CHECK(cfg->warm_pools[1].size == 1);
  CHECK(cfg->ignored_keys.empty());
}

TEST_CASE("config: without [[warm-pool]] there is no pool, and the embedded defaults have none") {
  auto cfg = parse_agent_config("");
  REQUIRE(cfg);
  CHECK(cfg->warm_pools.empty());
  CHECK(default_agent_config().warm_pools.empty());
}

TEST_CASE("config: a wrong [[warm-pool]] is refused naming the key") {
  CHECK(error_text("[[warm-pool]]\nsize = 2\n").find("warm-pool[0].image") != std::string::npos);
  CHECK(error_text("[[warm-pool]]\nimage = \"a b\"\n").find("warm-pool[0].image") !=
        std::string::npos);
  CHECK(error_text("[[warm-pool]]\nimage = \"x:1\"\nsize = 0\n").find("warm-pool[0].size") !=
        std::string::npos);
  CHECK(error_text("[[warm-pool]]\nimage = \"x:1\"\nsize = 65\n").find("from 1 to 64") !=
        std::string::npos);
  CHECK(error_text("[[warm-pool]]\nimage = \"x:1\"\nsize = \"2\"\n").find("warm-pool[0].size") !=
        std::string::npos);
  CHECK(error_text("[[warm-pool]]\nimage = \"x:1\"\nsise = 2\n").find("\"sise\"") !=
        std::string::npos);
  CHECK(error_text("warm-pool = 3\n").find("[[warm-pool]]") != std::string::npos);
  CHECK(error_text("[warm-pool]\nimage = \"x:1\"\n").find("[[warm-pool]]") != std::string::npos);
  auto twice = error_text("[[warm-pool]]\nimage = \"x:1\"\n[[warm-pool]]\nimage = \"x:1\"\n");
  CHECK(twice.find("warm-pool[1].image") != std::string::npos);
  CHECK(twice.find("named twice") != std::string::npos);
}

TEST_CASE("config: manager.addresses lists the managers that share a store, tried in turn") {
  auto cfg = parse_agent_config("[manager]\naddresses = [ { host = \"10.0.0.1\", port = 6100 }, "
                                "{ host = \"10.0.0.2\", port = 6101 } ]\n",
                                "agent.toml");
  REQUIRE(cfg);
  REQUIRE(cfg->manager_addresses.size() == 2);
  CHECK(cfg->manager_addresses[1].host == "10.0.0.2");
  CHECK(cfg->manager_addresses[1].port == 6101);
  CHECK(cfg->manager_address.host == "10.0.0.1");
  auto one = parse_agent_config("[manager]\naddress = { host = \"10.0.0.9\", port = 7000 }\n",
                                "agent.toml");
  REQUIRE(one);
  REQUIRE(one->manager_addresses.size() == 1);
  CHECK(one->manager_addresses[0].host == "10.0.0.9");
  auto defaults = parse_agent_config("", "agent.toml");
  REQUIRE(defaults);
  REQUIRE(defaults->manager_addresses.size() == 1);
  CHECK(defaults->manager_addresses[0].port == 6100);
  const char* list_wanted = "Invalid agent.toml: manager.addresses must be a list of { host = "
                            "\"...\", port = 0..65535 }, at least one";
  CHECK(error_text("[manager]\naddresses = []\n") == list_wanted);
  CHECK(error_text("[manager]\naddresses = [ \"10.0.0.1:6100\" ]\n") == list_wanted);
  CHECK(error_text("[manager]\naddresses = [ { host = \"a\", port = 70000 } ]\n") == list_wanted);
  CHECK(error_text("[manager]\naddresses = [ { host = \"a\", port = 1, tls = true } ]\n") ==
        list_wanted);
  CHECK(error_text("[manager]\naddress = { host = \"a\", port = 1 }\n"
                   "addresses = [ { host = \"b\", port = 2 } ]\n") ==
        "Invalid agent.toml: manager.addresses must be given instead of manager.address, not "
        "beside it");
}
