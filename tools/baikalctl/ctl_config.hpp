#pragma once

/// Where baikalctl's settings come from: the command line, then the environment
/// (BAIKAL_API_URL, BAIKAL_TOKEN, BAIKAL_CACERT), then the profile chosen with --profile or
/// BAIKAL_PROFILE, then the top-level keys of the config file, then the defaults.
///
/// The file is $XDG_CONFIG_HOME/baikal/config.toml (~/.config/baikal/config.toml when the
/// variable is unset):
///
///     api = "http://127.0.0.1:8090"
///     token_file = "~/.config/baikal/token"
///     [profiles.prod]
///     api = "https://baikal.example.org"
///     token = "..."
///     cacert = "/etc/baikal/ca.pem"

#include <functional>
#include <map>
#include <string>

#include <caf/expected.hpp>

#include "tools/baikalctl/ctl_args.hpp"

namespace baikal::ctl {

/// One table of the file; an empty string is a key not set.
struct ctl_settings {
  std::string api;
  std::string token;
  std::string token_file;
  std::string cacert;
};

struct ctl_config {
  std::string source; ///< the file, for errors; empty when there is none
  ctl_settings top;   ///< the top-level keys
  std::map<std::string, ctl_settings> profiles;
};

/// A variable of the environment, empty when unset.
using env_lookup = std::function<std::string(const std::string&)>;

/// The process's own environment.
std::string process_env(const std::string& name);

/// The config file's path: $XDG_CONFIG_HOME/baikal/config.toml, else
/// $HOME/.config/baikal/config.toml; empty when neither variable is set.
std::string ctl_config_path(const env_lookup& env);

/// Parses the file's text; an error names `source`, the line and the key.
caf::expected<ctl_config> parse_ctl_config(const std::string& text, const std::string& source);

/// Reads and parses the file at `path`; a file that is not there is an empty config.
caf::expected<ctl_config> load_ctl_config(const std::string& path);

/// Sets the API URL, token and CA of `args` from its options, `env` and `config`, in that
/// order of precedence. A token file is read here; an error says which one failed.
caf::error apply_settings(ctl_args& args, const ctl_config& config, const env_lookup& env);

} // namespace baikal::ctl
