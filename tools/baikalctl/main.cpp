// baikalctl: the command line of the manager's HTTP API.

#include <iostream>

#include "messages/errors.hpp"
#include "tools/baikalctl/commands.hpp"

using namespace baikal;
using namespace baikal::ctl;

int main(int argc, char** argv) {
  std::string error;
  auto args = parse_ctl_args(argc, argv, error);
  if (!args) {
    std::cerr << "baikalctl: " << error << "\n" << ctl_usage();
    return 2;
  }
  auto& w = args->words;
  if (w.empty() || args->flag("--help")) {
    std::cout << ctl_usage();
    return w.empty() && !args->flag("--help") ? 2 : 0;
  }
  auto api = ctl_client::make(*args);
  if (!api)
    return fail(api.error());
  auto sub = w.size() > 1 ? w[1] : std::string{};
  if (w[0] == "run")
    return run(*args, *api);
  if (w[0] == "session" && sub == "create")
    return session_create(*args, *api);
  if (w[0] == "session" && (sub == "ls" || sub == "list"))
    return session_ls(*args, *api);
  if (w[0] == "session" && sub == "show")
    return session_show(*args, *api);
  if (w[0] == "session" && sub == "history")
    return session_history(*args, *api);
  if (w[0] == "session" && (sub == "rm" || sub == "delete"))
    return session_rm(*args, *api);
  if (w[0] == "exec")
    return exec(*args, *api);
  if (w[0] == "cp")
    return cp(*args, *api);
  if (w[0] == "files" || w[0] == "ls")
    return files(*args, *api);
  if (w[0] == "shell")
    return shell(*args, *api);
  if (w[0] == "app")
    return app(*args, *api);
  if (w[0] == "logs")
    return logs(*args, *api);
  if (w[0] == "folders" && sub == "create")
    return folders_create(*args, *api);
  if (w[0] == "folders" && (sub == "ls" || sub == "list"))
    return folders_ls(*args, *api);
  if (w[0] == "folders" && (sub == "rm" || sub == "delete"))
    return folders_rm(*args, *api);
  if (w[0] == "agents" && (sub == "drain" || sub == "undrain"))
    return agents_drain(*args, *api);
  if (w[0] == "agents" && sub.empty())
    return agents(*args, *api);
  if (w[0] == "images" && sub == "purge")
    return images_purge(*args, *api);
  if (w[0] == "events")
    return events(*args, *api);
  std::cerr << "baikalctl: unknown command \"" << w[0] << (sub.empty() ? "" : " " + sub) << "\"\n"
            << ctl_usage();
  return 2;
}
