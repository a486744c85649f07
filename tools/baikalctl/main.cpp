// baikalctl: the command line of the manager's HTTP API. What it accepts is command_table.cpp;
// here each command is given the function that runs it.

#include <iostream>
#include <map>

#include "messages/errors.hpp"
#include "tools/baikalctl/commands.hpp"
#include "tools/baikalctl/completion.hpp"
#include "tools/baikalctl/ctl_config.hpp"

using namespace baikal;
using namespace baikal::ctl;

namespace {

using handler = int (*)(const ctl_args&, const ctl_client&);

/// The function of each command of command_table(), by its words.
const std::map<std::string, handler>& handlers() {
  static const std::map<std::string, handler> out = {
      {"run", run},
      {"session create", session_create},
      {"session ls", session_ls},
      {"session show", session_show},
      {"session history", session_history},
      {"session rm", session_rm},
      {"exec", exec},
      {"cp", cp},
      {"files", files},
      {"logs", logs},
      {"shell", shell},
      {"app", app},
      {"folders create", folders_create},
      {"folders ls", folders_ls},
      {"folders rm", folders_rm},
      {"agents", agents},
      {"agents drain", agents_drain},
      {"agents undrain", agents_drain},
      {"images", images},
      {"images purge", images_purge},
      {"events", events},
  };
  return out;
}

/// `completion bash|zsh`: needs neither the API nor the settings.
int completion(const ctl_args& args) {
  auto script = completion_script(args.words.back());
  if (script.empty())
    return fail("completion needs bash or zsh, not \"" + args.words.back() + "\"");
  std::cout << script;
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto parsed = parse_ctl_args(std::vector<std::string>(argv + 1, argv + argc));
  std::cout << parsed.out;
  if (!parsed.err.empty())
    std::cerr << "baikalctl: " << parsed.err << "\n";
  if (!parsed.args)
    return parsed.exit_code;
  auto& args = *parsed.args;
  if (args.command == "completion")
    return completion(args);
  auto config = load_ctl_config(ctl_config_path(process_env));
  if (!config)
    return fail(config.error());
  if (auto err = apply_settings(args, *config, process_env))
    return fail(err);
  auto run_command = handlers().find(args.command);
  if (run_command == handlers().end())
    return fail("the command \"" + args.command + "\" has no implementation");
  auto api = ctl_client::make(args);
  if (!api)
    return fail(api.error());
  return run_command->second(args, *api);
}
