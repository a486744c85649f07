#pragma once

/// What baikalctl accepts, as data: its global options and, for each command, the words that
/// name it, its positional arguments, its options with the kind of value each takes, and a line
/// of help. The parser, the help texts and the completion scripts are all made from this table,
/// so a command or an option is added here once (and its handler in main.cpp).

#include <string>
#include <vector>

namespace baikal::ctl {

/// What an option's value must be. Values are checked while parsing, so a bad one is refused,
/// naming its option, before any call to the API.
enum class value_kind {
  flag,      ///< no value: --wait
  text,      ///< any text
  number,    ///< a decimal number: --cpu 0.5
  seconds,   ///< a number of seconds, 0 or more: --timeout 30
  count,     ///< a whole number, 1 or more: --cluster-size 2
  size,      ///< bytes, with an optional k, m or g: --mem 2g
  key_value, ///< KEY=VALUE with a non-empty KEY: --env A=1
  mount,     ///< NAME, NAME:rw or NAME:ro: --mount data:ro
  choice,    ///< one of `choices`: --mode batch
};

struct option_spec {
  std::string name; ///< "--cpu"
  value_kind kind = value_kind::flag;
  std::string value_name = {}; ///< shown in help: "CPUS"
  std::string help = {};
  bool repeated = false; ///< may be given more than once, each value kept in order
  std::vector<std::string> choices = {};
  std::string short_name = {}; ///< "-f": also accepted for the option
};

/// A positional argument; `many` only on the last one.
struct positional_spec {
  std::string name; ///< "SESSION"
  std::string help = {};
  bool required = true;
  bool many = false;
};

/// Whether a command takes the code after "--".
enum class code_use { none, optional, required };

struct command_spec {
  std::string path; ///< the command's words: "session create"
  std::string help; ///< one line
  std::vector<positional_spec> positionals = {};
  std::vector<option_spec> options = {};
  code_use code = code_use::none;
  std::vector<std::string> aliases = {}; ///< other last words: "list" for "session ls"
};

/// A word that only groups commands ("session"), with its help line.
struct group_spec {
  std::string path;
  std::string help;
};

/// The options every command takes (--api, --token, --json, ...).
const std::vector<option_spec>& global_options();

/// Every command, in the order the help lists them.
const std::vector<command_spec>& command_table();

/// The groups of commands ("session", "folders", ...).
const std::vector<group_spec>& command_groups();

/// The text shown after the global help: where settings come from, exit codes.
std::string help_footer();

} // namespace baikal::ctl
