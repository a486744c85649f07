#pragma once

/// baikal-agent's command line and how it becomes the agent's settings.

#include <optional>
#include <string>
#include <vector>

#include "actors/agent/agent.hpp"
#include "runtime/config/agent_config.hpp"

namespace baikal {

struct agent_options {
  std::string config_path;  ///< --config; empty: embedded defaults
  std::string runner_path;  ///< --runner; empty: found next to this executable
  std::string run_image;    ///< --run IMAGE: run one session and exit
  std::string run_code;     ///< the code after "--"
  std::string manager_addr; ///< --manager HOST:PORT; empty: manager.address of the config
  std::string tls_cert;     ///< --tls-cert; empty: tls.certificate of the config
  std::string tls_key;      ///< --tls-key; empty: tls.key of the config
  std::string tls_ca;       ///< --tls-ca; empty: tls.ca of the config
  bool help = false;
};

/// Parses argv; answers nothing and fills `error` on bad input.
std::optional<agent_options> parse_agent_options(int argc, char** argv, std::string& error);

std::string agent_usage();

/// The config with the command line's overrides (--manager, --tls-*) applied; invalid_argument
/// for a malformed --manager.
caf::expected<agent_config> apply_agent_options(agent_config cfg, const agent_options& opts);

/// The agent's settings from its config, with paths made absolute (Docker binds need them).
agent_settings to_agent_settings(const agent_config& cfg, const std::string& runner_path);

/// The kernel runner: --runner, else $BAIKAL_KERNEL_RUNNER, else beside this executable
/// (installed) or in the build tree's tools/baikal-kernel-runner.
std::string find_kernel_runner(const std::string& configured);

} // namespace baikal
