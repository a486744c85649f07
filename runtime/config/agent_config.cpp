#include "runtime/config/agent_config.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <climits>

#include "messages/errors.hpp"
#include "runtime/config/atomic_file.hpp"
#include "runtime/config/toml.hpp"
#include "runtime/config/toml_parse.hpp"
#include "runtime/config/toml_reader.hpp"

namespace baikal {

constexpr double max_image_pull_timeout = 7 * 86400.0;

namespace {

constexpr std::string_view default_toml = R"(# Baikal agent configuration. Every key is optional.

[agent]
# The agent's name; defaults to "i-" followed by the host name.
# id = "i-something-special"

# The scaling group of this agent (update_scaling_group rewrites this line).
scaling-group = "default"

# Where the manager connects to this agent.
rpc-listen-addr = { host = "127.0.0.1", port = 6001 }

[container]
# {scratch-root}/{kernel_id}/work is the container's /home/work.
scratch-root = "./var/scratch"
# The agent's own state (last_registry.*.dat).
var-base-path = "./var/lib"
# Commit locks and exported images.
base-commit-path = "./var/commit"
# Host ports for kernels' services, both ends included.
port-range = [30000, 31000]
# The IP address at which others (the manager's app proxy) reach those ports; empty: the
# host of rpc-listen-addr.
advertised-host = ""
# Kernels created at once per create_kernels call (1 to 32).
kernel-creation-concurrency = 4
# The user of kernels' main processes; -1 is the agent's own.
kernel-uid = -1
kernel-gid = -1
# Processes and threads one kernel may have at once (16 to 4194304).
kernel-pids-limit = 4096
# Files each process of a kernel may have open (64 to 1048576).
kernel-open-files = 16384
# Executions one kernel runs at once; one more is answered "unavailable" (503).
max-concurrent-runs = 16
# The largest code, completion text or batch command one request may carry (413 beyond).
max-code-bytes = 1048576

[docker]
socket = "/var/run/docker.sock"
# Seconds an image pull may take, retries included (above 0, at most 604800).
image-pull-timeout = 3600.0
# Pulls that cannot reach their registry are tried again this often (0 to 20).
image-pull-retries = 5

[blocking]
# Threads for blocking work other than code runs: file transfers, scratch directories,
# interrupts, completions, services (1 to 256).
io-threads = 8
# Threads for code runs; each holds its thread until the run answers (1 to 1024).
run-threads = 16
# Calls waiting for a thread, per kind; past that a call answers unavailable (1 to 100000).
queue-limit = 1000

[manager]
# The manager's agent registry this agent joins.
address = { host = "127.0.0.1", port = 6100 }

[tls]
# This node's certificate and key and the cluster CA (deploy/make-certs.sh makes them). With
# all three, connections to the manager are TLS with both sides verified; without, plain TCP.
# certificate = "/etc/baikal/certs/agent-1.crt"
# key = "/etc/baikal/certs/agent-1.key"
# ca = "/etc/baikal/certs/ca.crt"

[storage]
# The manager's [storage] root as this host sees it; kernels mount folders from inside it only
# ("" mounts none).
root = "./var/storage"

[timeouts]
# Seconds the agent waits for each kind of Docker engine answer before the step fails with a
# timeout naming it (1 to 86400). An inspect, a list, a network create or delete:
engine-call = 60
container-create = 300
container-start = 120
container-remove = 60
# A kernel's destroy (its container's stop and removal):
kernel-destroy = 120
# An image delete (its layers' removal from disk):
image-delete = 300
# A commit of a kernel into an image, and the push of that image:
commit = 1800
push = 3600

# Containers of an image kept created and started ahead, handed to sessions whose kernels
# need nothing a running container cannot take (no mounts, no environment variables, one
# kernel, the default user). The pool fills once the image is on this agent. One table per
# image:
# [[warm-pool]]
# image = "cr.backend.ai/stable/python:3.9-ubuntu20.04"
# size = 2

[debug]
heartbeat-interval = 20.0
)";

bool is_ip_address(const std::string& text) {
  unsigned char buf[sizeof(struct in6_addr)];
  return ::inet_pton(AF_INET, text.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0')
    return "localhost";
  return buf;
}

void read_timeouts(toml_reader& r, agent_timeouts& t) {
  r.whole_seconds("timeouts.engine-call", t.engine_call, 1, 86400);
  r.whole_seconds("timeouts.container-create", t.container_create, 1, 86400);
  r.whole_seconds("timeouts.container-start", t.container_start, 1, 86400);
  r.whole_seconds("timeouts.container-remove", t.container_remove, 1, 86400);
  r.whole_seconds("timeouts.kernel-destroy", t.kernel_destroy, 1, 86400);
  r.whole_seconds("timeouts.image-delete", t.image_delete, 1, 86400);
  r.whole_seconds("timeouts.commit", t.commit, 1, 86400);
  r.whole_seconds("timeouts.push", t.push, 1, 86400);
}

/// The largest [[warm-pool]] size: each warm container holds its host ports and memory.
constexpr int64_t max_warm_pool_size = 64;

void read_warm_pools(toml_reader& r, std::vector<warm_pool_setting>& out) {
  auto count = r.table_array("warm-pool", {"image", "size"});
  for (size_t i = 0; i < count; ++i) {
    auto at = "warm-pool[" + std::to_string(i) + "]";
    warm_pool_setting pool;
    r.text((at + ".image").c_str(), pool.image);
    pool.size = 1;
    r.integer((at + ".size").c_str(), pool.size, 1, max_warm_pool_size);
    bool blank = pool.image.empty() || pool.image.find_first_of(" \t\r\n") != std::string::npos ||
                 pool.image.size() > 255;
    if (blank)
      r.fail(at + ".image", "an image reference (no spaces, at most 255 characters)");
    for (auto& earlier : out)
      if (earlier.image == pool.image)
        r.fail(at + ".image",
               "an image no other [[warm-pool]] names (" + pool.image + " is named twice)");
    out.push_back(std::move(pool));
  }
}

} // namespace

std::string_view default_agent_config_toml() {
  return default_toml;
}

caf::expected<agent_config> parse_agent_config(std::string_view toml_text,
                                               const std::string& source) {
  auto parsed = parse_toml(toml_text, source);
  if (!parsed.table) {
    auto& bad = parsed.problem;
    return make_error(errc::invalid_argument, "Invalid " + source + " at line " +
                                                  std::to_string(bad.line) + ", column " +
                                                  std::to_string(bad.column) + ": " + bad.what);
  }
  auto& root = *parsed.table;
  agent_config cfg;
  toml_reader r{toml::node_view<const toml::node>{root}, source};
  r.text("agent.id", cfg.id);
  r.text("agent.scaling-group", cfg.scaling_group);
  r.address("agent.rpc-listen-addr", cfg.rpc_listen_addr);
  r.text("container.scratch-root", cfg.scratch_root);
  r.text("container.var-base-path", cfg.var_base_path);
  r.text("container.base-commit-path", cfg.base_commit_path);
  r.port_range("container.port-range", cfg.port_range_first, cfg.port_range_last);
  r.text("container.advertised-host", cfg.advertised_host);
  r.integer("container.kernel-creation-concurrency", cfg.kernel_creation_concurrency, 1, 32);
  r.integer("container.kernel-uid", cfg.kernel_uid, -1, UINT32_MAX);
  r.integer("container.kernel-gid", cfg.kernel_gid, -1, UINT32_MAX);
  r.integer("container.kernel-pids-limit", cfg.kernel_pids_limit, 16, 4194304);
  r.integer("container.kernel-open-files", cfg.kernel_open_files, 64, 1048576);
  r.integer("container.max-concurrent-runs", cfg.max_concurrent_runs, 1, 1024);
  r.integer("container.max-code-bytes", cfg.max_code_bytes, 1024, int64_t{64} << 20);
  r.text("docker.socket", cfg.docker_socket);
  r.number("docker.image-pull-timeout", cfg.image_pull_timeout);
  r.integer("docker.image-pull-retries", cfg.image_pull_retries, 0, 20);
  r.integer("blocking.io-threads", cfg.blocking_io_threads, 1, 256);
  r.integer("blocking.run-threads", cfg.blocking_run_threads, 1, 1024);
  r.integer("blocking.queue-limit", cfg.blocking_queue_limit, 1, 100000);
  r.address("manager.address", cfg.manager_address);
  cfg.manager_addresses = {cfg.manager_address};
  r.addresses("manager.addresses", cfg.manager_addresses);
  if (!r.error() && root["manager"]["address"] && root["manager"]["addresses"])
    r.fail("manager.addresses", "given instead of manager.address, not beside it");
  cfg.manager_address = cfg.manager_addresses.front();
  r.text("tls.certificate", cfg.tls_certificate);
  r.text("tls.key", cfg.tls_key);
  r.text("tls.ca", cfg.tls_ca);
  r.text("storage.root", cfg.storage_root);
  read_timeouts(r, cfg.timeouts);
  read_warm_pools(r, cfg.warm_pools);
  r.number("debug.heartbeat-interval", cfg.heartbeat_interval);
  if (auto err = r.error())
    return err;
  if (!cfg.advertised_host.empty() && !is_ip_address(cfg.advertised_host))
    return make_error(errc::invalid_argument,
                      "Invalid " + source +
                          ": container.advertised-host must be an IP address, "
                          "not \"" +
                          cfg.advertised_host + "\"");
  cfg.ignored_keys = r.unread_keys();
  if (cfg.scaling_group.empty())
    return make_error(errc::invalid_argument,
                      "Invalid " + source + ": agent.scaling-group must not be empty");
  // Bounded above too: the pull's deadline is this in milliseconds, which must fit an int64.
  if (!(cfg.image_pull_timeout > 0 && cfg.image_pull_timeout <= max_image_pull_timeout))
    return make_error(errc::invalid_argument,
                      "Invalid " + source +
                          ": docker.image-pull-timeout must be a number of seconds above 0 and at "
                          "most 604800 (a week)");
  if (cfg.id.empty())
    cfg.id = "i-" + host_name();
  return cfg;
}

caf::expected<agent_config> load_agent_config(const std::string& path) {
  auto text = read_whole_file(path);
  if (!text)
    return text.error();
  auto cfg = parse_agent_config(*text, path);
  if (cfg)
    cfg->config_path = path;
  return cfg;
}

agent_config default_agent_config() {
  // The embedded text is ours and tested; failing to parse it is a build defect.
  auto cfg = parse_agent_config(default_toml, "the embedded default agent.toml");
  return cfg ? std::move(*cfg) : agent_config{};
}

} // namespace baikal
