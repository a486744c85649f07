#pragma once

/// baikalctl's command line as the commands read it: which command, its words, the options
/// given with their values (already checked against the kinds command_table.hpp gives them),
/// the code after "--", and the settings (API, token, CA) resolved by ctl_config.hpp.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tools/baikalctl/option_values.hpp"

namespace baikal::ctl {

struct ctl_args {
  std::string command;            ///< the command's words: "session create"
  std::string api_url;            ///< see ctl_config.hpp for where it comes from
  std::string token;              ///< the API token
  std::string cacert;             ///< a CA bundle for https; empty: the system's
  std::string cert;               ///< a client certificate for https (--cert, BAIKAL_CERT)
  std::string key;                ///< its key (--key, BAIKAL_KEY)
  bool json = false;              ///< --json or --output json: print the API's JSON
  std::string output = "table";   ///< --output: table, wide or json
  std::vector<std::string> words; ///< the command's words, then its positional arguments
  std::multimap<std::string, std::string> options; ///< --name VALUE, in the order given
  std::vector<std::string> flags;                  ///< --keep, --force, ...
  std::vector<std::string> code_args;              ///< everything after "--", as given
  /// The code to run: the one argument after "--" as written, or several each as one shell
  /// word; nothing without "--".
  std::optional<std::string> code;

  bool flag(const std::string& name) const;
  /// The value of option `name` (the last one when given more than once).
  std::string option(const std::string& name, const std::string& fallback = {}) const;
  /// Every value of a repeated option, in order.
  std::vector<std::string> all(const std::string& name) const;
  bool wide() const { return output == "wide"; }
};

/// What parsing a command line led to: a command to run, or a text to print and an exit code.
struct ctl_parse_result {
  std::optional<ctl_args> args;
  std::string out;   ///< for stdout: help or version
  std::string err;   ///< for stderr: what is wrong with the command line
  int exit_code = 0; ///< without args: 0 (help, version), 2 (bad command line), 1 (bad value)
};

/// Parses baikalctl's arguments (without the program's name). Reads no file and no variable.
ctl_parse_result parse_ctl_args(const std::vector<std::string>& argv);

/// The help of the command `path` ("session create"; empty: the global help).
std::string ctl_help(const std::string& path = {});

} // namespace baikal::ctl
