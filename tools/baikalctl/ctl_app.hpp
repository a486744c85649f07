#pragma once

/// The CLI11 description of baikalctl, made from command_table.hpp: one subcommand per word of
/// a command path, its positionals and options with their help. The parser, the help and the
/// completion scripts all read this one description.

#include <memory>
#include <string>

#include "tools/baikalctl/command_table.hpp"

namespace CLI {
class App;
} // namespace CLI

namespace baikal::ctl {

/// The whole command line: global options on the root, a subcommand per command word.
std::unique_ptr<CLI::App> make_ctl_app();

/// The command whose words are `path` ("session ls"); nullptr when none is.
const command_spec* find_command(const std::string& path);

/// The option of `command` (or a global one) named `name`; nullptr when none is.
const option_spec* find_option(const command_spec* command, const std::string& name);

/// "baikalctl session create [OPTIONS] IMAGE", "baikalctl exec [OPTIONS] SESSION -- CODE".
std::string command_usage(const command_spec& command);

} // namespace baikal::ctl
