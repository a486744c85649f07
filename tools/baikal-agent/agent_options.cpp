#include "tools/baikal-agent/agent_options.hpp"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "messages/errors.hpp"
#include "runtime/cluster/node.hpp"

namespace baikal {

namespace fs = std::filesystem;

std::optional<agent_options> parse_agent_options(int argc, char** argv, std::string& error) {
  agent_options opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        error = arg + " needs a value";
        return std::nullopt;
      }
      return std::string{argv[++i]};
    };
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
    } else if (auto* field = arg == "--config"     ? &opts.config_path
                             : arg == "--runner"   ? &opts.runner_path
                             : arg == "--run"      ? &opts.run_image
                             : arg == "--manager"  ? &opts.manager_addr
                             : arg == "--tls-cert" ? &opts.tls_cert
                             : arg == "--tls-key"  ? &opts.tls_key
                             : arg == "--tls-ca"   ? &opts.tls_ca
                                                   : nullptr) {
      auto v = value();
      if (!v)
        return std::nullopt;
      *field = *v;
    } else if (arg == "--") {
      for (++i; i < argc; ++i)
        opts.run_code += (opts.run_code.empty() ? "" : " ") + std::string{argv[i]};
    } else {
      error = "unknown argument " + arg;
      return std::nullopt;
    }
  }
  if (!opts.run_image.empty() && opts.run_code.empty()) {
    error = "--run IMAGE needs the code to run after --";
    return std::nullopt;
  }
  return opts;
}

std::string agent_usage() {
  return "usage: baikal-agent [--config agent.toml] [--runner PATH] [--manager HOST:PORT[,...]]\n"
         "                    [--tls-cert FILE --tls-key FILE --tls-ca FILE]\n"
         "       baikal-agent [--config agent.toml] --run IMAGE -- CODE\n"
         "Joins the manager at --manager (manager.address; several, tried in turn: managers\n"
         "sharing a store, manager.addresses) and serves the agent interface over\n"
         "CAF (agent.rpc-listen-addr), with TLS when a certificate, its key and the cluster CA\n"
         "are given (tls.certificate, tls.key, tls.ca). With --run it creates one kernel of\n"
         "IMAGE, runs CODE in it, prints its output and exits with its exit code.\n"
         "Docker: docker.socket, overridden by DOCKER_HOST.\n";
}

caf::expected<agent_config> apply_agent_options(agent_config cfg, const agent_options& opts) {
  if (!opts.manager_addr.empty()) {
    // HOST:PORT, or several separated by commas: managers that share one store.
    std::vector<host_port> managers;
    std::string list = opts.manager_addr;
    for (size_t start = 0; start <= list.size();) {
      auto end = std::min(list.find(',', start), list.size());
      auto addr = cluster::parse_host_port(list.substr(start, end - start));
      if (!addr)
        return make_error(errc::invalid_argument, "--manager: " + message_of(addr.error()));
      managers.push_back(*addr);
      start = end + 1;
    }
    cfg.manager_addresses = managers;
    cfg.manager_address = managers.front();
  }
  for (auto [flag, field] :
       {std::pair{&opts.tls_cert, &cfg.tls_certificate}, std::pair{&opts.tls_key, &cfg.tls_key},
        std::pair{&opts.tls_ca, &cfg.tls_ca}})
    if (!flag->empty())
      *field = *flag;
  return cfg;
}

agent_settings to_agent_settings(const agent_config& cfg, const std::string& runner_path) {
  agent_settings s;
  s.id = cfg.id;
  s.scaling_group = cfg.scaling_group;
  s.scratch_root = fs::absolute(cfg.scratch_root).lexically_normal().string();
  s.var_base_path = fs::absolute(cfg.var_base_path).lexically_normal().string();
  s.base_commit_path = fs::absolute(cfg.base_commit_path).lexically_normal().string();
  s.config_path = cfg.config_path;
  if (!cfg.storage_root.empty())
    s.storage_root = fs::absolute(cfg.storage_root).lexically_normal().string();
  s.port_first = cfg.port_range_first;
  s.port_last = cfg.port_range_last;
  s.kernel_creation_concurrency = static_cast<uint32_t>(cfg.kernel_creation_concurrency);
  s.kernel_uid = cfg.kernel_uid;
  s.kernel_gid = cfg.kernel_gid;
  s.kernel_pids_limit = cfg.kernel_pids_limit;
  s.kernel_open_files = cfg.kernel_open_files;
  s.root_owns_scratch = ::geteuid() == 0;
  s.image_pull_timeout = cfg.image_pull_timeout;
  s.timeouts = cfg.timeouts;
  s.image_pull_retries = static_cast<uint32_t>(cfg.image_pull_retries);
  s.blocking.io_threads = static_cast<uint32_t>(cfg.blocking_io_threads);
  s.blocking.run_threads = static_cast<uint32_t>(cfg.blocking_run_threads);
  s.blocking.queue_limit = static_cast<uint32_t>(cfg.blocking_queue_limit);
  s.max_concurrent_runs = static_cast<uint32_t>(cfg.max_concurrent_runs);
  s.input_limits.max_code_bytes = static_cast<size_t>(cfg.max_code_bytes);
  s.host = cfg.advertised_host.empty() ? cfg.rpc_listen_addr.host : cfg.advertised_host;
  s.runner_path = runner_path;
  s.warm_pools = cfg.warm_pools;
  return s;
}

std::string find_kernel_runner(const std::string& configured) {
  if (!configured.empty())
    return fs::absolute(configured).string();
  if (const char* env = std::getenv("BAIKAL_KERNEL_RUNNER"))
    return env;
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (auto candidate : {self / "baikal-kernel-runner",
                         self.parent_path() / "baikal-kernel-runner" / "baikal-kernel-runner"})
    if (fs::exists(candidate, ec))
      return candidate.string();
  return (self / "baikal-kernel-runner").string();
}

} // namespace baikal
