#include "tools/baikal-agent/agent_options.hpp"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

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
    } else if (arg == "--config" || arg == "--runner" || arg == "--run") {
      auto v = value();
      if (!v)
        return std::nullopt;
      (arg == "--config" ? opts.config_path : arg == "--runner" ? opts.runner_path
                                                                 : opts.run_image) = *v;
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
  return "usage: baikal-agent [--config agent.toml] [--runner PATH]\n"
         "       baikal-agent [--config agent.toml] --run IMAGE -- CODE\n"
         "Serves the agent interface to the manager over CAF (agent.rpc-listen-addr), or with\n"
         "--run creates one kernel of IMAGE, runs CODE in it, prints its output and exits with\n"
         "its exit code. Docker: docker.socket, overridden by DOCKER_HOST.\n";
}

agent_settings to_agent_settings(const agent_config& cfg, const std::string& runner_path) {
  agent_settings s;
  s.id = cfg.id;
  s.scaling_group = cfg.scaling_group;
  s.scratch_root = fs::absolute(cfg.scratch_root).lexically_normal().string();
  s.var_base_path = fs::absolute(cfg.var_base_path).lexically_normal().string();
  s.base_commit_path = fs::absolute(cfg.base_commit_path).lexically_normal().string();
  s.config_path = cfg.config_path;
  s.port_first = cfg.port_range_first;
  s.port_last = cfg.port_range_last;
  s.kernel_creation_concurrency = static_cast<uint32_t>(cfg.kernel_creation_concurrency);
  s.kernel_uid = cfg.kernel_uid;
  s.kernel_gid = cfg.kernel_gid;
  s.host = cfg.rpc_listen_addr.host;
  s.runner_path = runner_path;
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
