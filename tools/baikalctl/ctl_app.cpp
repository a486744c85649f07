#include "tools/baikalctl/ctl_app.hpp"

#include <algorithm>
#include <sstream>

#include <CLI/CLI.hpp>

#ifndef BAIKAL_VERSION
#define BAIKAL_VERSION "unknown"
#endif

namespace baikal::ctl {

namespace {

/// Splits "session create" into its words.
std::vector<std::string> words_of(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in{path};
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

void add_option(CLI::App& app, const option_spec& spec) {
  auto names = spec.short_name.empty() ? spec.name : spec.short_name + "," + spec.name;
  if (spec.kind == value_kind::flag) {
    app.add_flag(names, spec.help);
    return;
  }
  auto* opt = app.add_option(names, spec.help)->type_name(spec.value_name);
  opt->multi_option_policy(spec.repeated ? CLI::MultiOptionPolicy::TakeAll
                                         : CLI::MultiOptionPolicy::TakeLast);
}

void add_positional(CLI::App& app, const positional_spec& spec) {
  auto* opt = app.add_option(spec.name, spec.help)->type_name("");
  if (spec.required)
    opt->required();
  if (spec.many)
    opt->expected(spec.required ? 1 : 0, -1);
}

/// The subcommand of `parent` named `word`, made when it is not there yet.
CLI::App& child(CLI::App& parent, const std::string& word, const std::string& help) {
  auto found = parent.get_subcommands([&](CLI::App* a) { return a->get_name() == word; });
  if (!found.empty())
    return *found.front();
  auto* sub = parent.add_subcommand(word, help);
  // The commands are listed by the global help's own list (command_list), with their
  // positionals; CLI11's list of the first words would repeat it. A group's help lists its
  // commands.
  sub->group(parent.get_parent() == nullptr ? "" : "Commands");
  return *sub;
}

std::string group_help(const std::string& path) {
  for (auto& g : command_groups())
    if (g.path == path)
      return g.help;
  return {};
}

/// "Global options: ...", under each command's help.
std::string global_options_line() {
  std::string out = "Global options (see baikalctl --help):";
  for (auto& o : global_options())
    out += " " + o.name;
  return out + "\n";
}

/// Every command with its usage and help, for the global help.
std::string command_list() {
  std::string out = "\nCommands:\n";
  for (auto& c : command_table()) {
    auto usage = command_usage(c).substr(std::string{"baikalctl "}.size());
    out += "  " + usage + "\n      " + c.help + "\n";
  }
  return out;
}

} // namespace

const command_spec* find_command(const std::string& path) {
  for (auto& c : command_table())
    if (c.path == path)
      return &c;
  return nullptr;
}

const option_spec* find_option(const command_spec* command, const std::string& name) {
  if (command)
    for (auto& o : command->options)
      if (o.name == name)
        return &o;
  for (auto& o : global_options())
    if (o.name == name)
      return &o;
  return nullptr;
}

std::string command_usage(const command_spec& command) {
  std::string out = "baikalctl " + command.path + " [OPTIONS]";
  for (auto& p : command.positionals) {
    auto shown = p.name + (p.many ? "..." : "");
    out += " " + (p.required ? shown : "[" + shown + "]");
  }
  if (command.code == code_use::required)
    out += " -- CODE";
  else if (command.code == code_use::optional)
    out += " [-- CODE]";
  return out;
}

std::unique_ptr<CLI::App> make_ctl_app() {
  auto app =
      std::make_unique<CLI::App>("baikalctl: the command line of Baikal's HTTP API", "baikalctl");
  // Set before the subcommands are made, which take them over: global options may come after
  // the command's words, and what nobody knows is kept for parse_ctl_args to name.
  app->fallthrough();
  app->allow_extras();
  app->get_formatter()->label("Usage", "usage");
  app->get_formatter()->label("SUBCOMMAND", "COMMAND");
  app->get_formatter()->column_width(32);
  app->set_version_flag("--version", "baikalctl " BAIKAL_VERSION, "print the version and exit");
  for (auto& o : global_options())
    add_option(*app, o);
  for (auto& command : command_table()) {
    auto words = words_of(command.path);
    CLI::App* node = app.get();
    std::string path;
    for (size_t i = 0; i < words.size(); ++i) {
      path += (i ? " " : "") + words[i];
      bool last = i + 1 == words.size();
      node = &child(*node, words[i], last ? command.help : group_help(path));
    }
    node->description(command.help);
    for (auto& alias : command.aliases)
      node->alias(alias);
    for (auto& p : command.positionals)
      add_positional(*node, p);
    for (auto& o : command.options)
      add_option(*node, o);
    node->footer(global_options_line() +
                 (command.code == code_use::none
                      ? ""
                      : "\nThe code comes after \"--\": " + command_usage(command) + "\n"));
  }
  app->footer(command_list() + help_footer());
  return app;
}

} // namespace baikal::ctl
