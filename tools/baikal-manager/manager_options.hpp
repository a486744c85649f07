#pragma once

/// baikal-manager's command line.

#include <optional>
#include <string>

namespace baikal {

struct manager_options {
  std::string config_path;   ///< --config; empty: embedded defaults
  std::string api_listen;    ///< --api-listen HOST:PORT, over the config's [api] listen
  std::string agents_listen; ///< --agents-listen HOST:PORT, over the config's [agents] listen
  std::string store_path;    ///< --store PATH, over the config's manager.store-path
  std::string port_file;     ///< --port-file PATH: write "API_PORT AGENTS_PORT" once serving
  bool help = false;
};

/// Parses argv; answers nothing and fills `error` on bad input.
std::optional<manager_options> parse_manager_options(int argc, char** argv, std::string& error);

std::string manager_usage();

} // namespace baikal
