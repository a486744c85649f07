#include "tools/baikal-manager/manager_options.hpp"

namespace baikal {

std::optional<manager_options> parse_manager_options(int argc, char** argv, std::string& error) {
  manager_options out;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) {
        error = arg + " needs a value";
        return false;
      }
      into = argv[++i];
      return true;
    };
    if (arg == "-h" || arg == "--help") {
      out.help = true;
    } else if (arg == "--config" || arg == "-c") {
      if (!value(out.config_path))
        return std::nullopt;
    } else if (arg == "--api-listen") {
      if (!value(out.api_listen))
        return std::nullopt;
    } else if (arg == "--agents-listen") {
      if (!value(out.agents_listen))
        return std::nullopt;
    } else if (arg == "--store") {
      if (!value(out.store_path))
        return std::nullopt;
    } else if (arg == "--port-file") {
      if (!value(out.port_file))
        return std::nullopt;
    } else {
      error = "unknown argument \"" + arg + "\"";
      return std::nullopt;
    }
  }
  return out;
}

std::string manager_usage() {
  return "usage: baikal-manager [--config manager.toml] [--api-listen HOST:PORT]\n"
         "                      [--agents-listen HOST:PORT] [--store PATH] [--port-file PATH]\n"
         "\n"
         "Runs the manager: agents join on the agents address, users call the HTTP API.\n"
         "Without --config the embedded defaults apply: store var/manager.db, API on\n"
         "127.0.0.1:8090, agents on 127.0.0.1:6100. SIGTERM or SIGINT stops it gracefully.\n";
}

} // namespace baikal
