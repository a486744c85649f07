#include "tools/baikalctl/ctl_config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "messages/errors.hpp"
#include "runtime/config/toml.hpp"
#include "runtime/config/toml_parse.hpp"

namespace baikal::ctl {

namespace {

caf::error invalid(const std::string& source, size_t line, const std::string& what) {
  return make_error(errc::invalid_argument,
                    "Invalid " + source + " at line " + std::to_string(line) + ": " + what);
}

/// Reads the keys of one table (the top level or a profile) into `out`; `prefix` is where
/// the table is ("profiles.prod.").
caf::error read_settings(const toml::table& table, const std::string& prefix,
                         const std::string& source, ctl_settings& out) {
  for (auto& [key, node] : table) {
    auto name = unshield_toml_string(key.str());
    auto line = static_cast<size_t>(key.source().begin.line);
    if (prefix.empty() && name == "profiles")
      continue;
    std::string* field = name == "api"          ? &out.api
                         : name == "token"      ? &out.token
                         : name == "token_file" ? &out.token_file
                         : name == "cacert"     ? &out.cacert
                                                : nullptr;
    if (!field)
      return invalid(source, line,
                     "unknown key " + prefix + name + " (known: api, token, token_file, cacert" +
                         (prefix.empty() ? ", [profiles.NAME]" : "") + ")");
    auto value = node.value_exact<std::string>();
    if (!value || value->empty())
      return invalid(source, line, prefix + name + " must be a non-empty string");
    *field = unshield_toml_string(*value);
  }
  if (!out.token.empty() && !out.token_file.empty())
    return invalid(
        source, static_cast<size_t>(table.source().begin.line),
        (prefix.empty() ? std::string{"the top level"} : prefix.substr(0, prefix.size() - 1)) +
            " sets both token and token_file");
  return {};
}

/// "~/x" as $HOME/x.
std::string expand_home(const std::string& path, const env_lookup& env) {
  if (path.rfind("~/", 0) == 0 && !env("HOME").empty())
    return env("HOME") + path.substr(1);
  return path;
}

/// The token in `path`, without the line end and spaces around it.
caf::expected<std::string> read_token_file(const std::string& path, const std::string& from) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    return make_error(errc::invalid_argument,
                      "cannot read the token file " + path + " (" + from + ")");
  auto token = text.str();
  auto first = token.find_first_not_of(" \t\r\n");
  auto last = token.find_last_not_of(" \t\r\n");
  if (first == std::string::npos)
    return make_error(errc::invalid_argument,
                      "the token file " + path + " (" + from + ") is empty");
  return token.substr(first, last - first + 1);
}

} // namespace

std::string process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::string{v} : std::string{};
}

std::string ctl_config_path(const env_lookup& env) {
  if (auto xdg = env("XDG_CONFIG_HOME"); !xdg.empty())
    return xdg + "/baikal/config.toml";
  if (auto home = env("HOME"); !home.empty())
    return home + "/.config/baikal/config.toml";
  return {};
}

caf::expected<ctl_config> parse_ctl_config(const std::string& text, const std::string& source) {
  auto parsed = parse_toml(text, source);
  if (!parsed.table) {
    auto& bad = parsed.problem;
    return make_error(errc::invalid_argument, "Invalid " + source + " at line " +
                                                  std::to_string(bad.line) + ", column " +
                                                  std::to_string(bad.column) + ": " + bad.what);
  }
  auto& root = *parsed.table;
  ctl_config out;
  out.source = source;
  if (auto err = read_settings(root, "", source, out.top))
    return err;
  auto* profiles = root["profiles"].node();
  if (!profiles)
    return out;
  auto* table = profiles->as_table();
  if (!table)
    return invalid(source, static_cast<size_t>(profiles->source().begin.line),
                   "profiles must be a table of [profiles.NAME] tables");
  for (auto& [key, node] : *table) {
    auto name = unshield_toml_string(key.str());
    auto* profile = node.as_table();
    if (!profile)
      return invalid(source, static_cast<size_t>(key.source().begin.line),
                     "profiles." + name + " must be a table");
    if (auto err = read_settings(*profile, "profiles." + name + ".", source, out.profiles[name]))
      return err;
  }
  return out;
}

caf::expected<ctl_config> load_ctl_config(const std::string& path) {
  ctl_config empty;
  if (path.empty())
    return empty;
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return empty; // no file: every setting from elsewhere
  std::stringstream text;
  text << in.rdbuf();
  return parse_ctl_config(text.str(), path);
}

caf::error apply_settings(ctl_args& args, const ctl_config& config, const env_lookup& env) {
  auto profile_name = args.option("--profile", env("BAIKAL_PROFILE"));
  const ctl_settings* profile = nullptr;
  if (!profile_name.empty()) {
    auto i = config.profiles.find(profile_name);
    if (i == config.profiles.end())
      return make_error(errc::invalid_argument,
                        "no profile \"" + profile_name + "\" in " +
                            (config.source.empty() ? ctl_config_path(env) : config.source));
    profile = &i->second;
  }
  // The first place that sets it, from the command line down to the file's top level.
  auto pick = [&](const std::string& option, const std::string& var,
                  std::string ctl_settings::*key) -> std::string {
    if (auto v = args.option(option); !v.empty() || args.options.count(option))
      return v;
    if (auto v = env(var); !v.empty())
      return v;
    if (profile && !(profile->*key).empty())
      return profile->*key;
    return config.top.*key;
  };
  args.api_url = pick("--api", "BAIKAL_API_URL", &ctl_settings::api);
  if (args.api_url.empty())
    args.api_url = "http://127.0.0.1:8090";
  args.cacert = expand_home(pick("--cacert", "BAIKAL_CACERT", &ctl_settings::cacert), env);
  args.cert = expand_home(args.option("--cert", env("BAIKAL_CERT")), env);
  args.key = expand_home(args.option("--key", env("BAIKAL_KEY")), env);
  // A token and a token file on the same level: the command line refuses both, the file too.
  if (args.options.count("--token") && args.options.count("--token-file"))
    return make_error(errc::invalid_argument, "--token and --token-file: give one of them");
  if (args.options.count("--token"))
    args.token = args.option("--token");
  else if (args.options.count("--token-file")) {
    auto token = read_token_file(args.option("--token-file"), "--token-file");
    if (!token)
      return token.error();
    args.token = *token;
  } else if (auto v = env("BAIKAL_TOKEN"); !v.empty()) {
    args.token = v;
  } else {
    auto& from = profile && (!profile->token.empty() || !profile->token_file.empty()) ? *profile
                                                                                      : config.top;
    args.token = from.token;
    if (from.token.empty() && !from.token_file.empty()) {
      auto token =
          read_token_file(expand_home(from.token_file, env), "token_file of " + config.source);
      if (!token)
        return token.error();
      args.token = *token;
    }
  }
  return {};
}

} // namespace baikal::ctl
