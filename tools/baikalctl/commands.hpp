#pragma once

/// baikalctl's commands. Each answers the process exit code; errors are printed to stderr as
/// one line naming what went wrong.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/status_types.hpp"
#include "tools/baikalctl/ctl_args.hpp"
#include "tools/baikalctl/ctl_client.hpp"
#include "tools/baikalctl/pull_watcher.hpp"

namespace baikal::ctl {

// session_commands.cpp
int session_create(const ctl_args& args, const ctl_client& api);
int session_ls(const ctl_args& args, const ctl_client& api);
int session_show(const ctl_args& args, const ctl_client& api);
int session_history(const ctl_args& args, const ctl_client& api);
int session_rm(const ctl_args& args, const ctl_client& api);
/// The JSON body of POST /v1/sessions from `image` and the options of `args`.
caf::expected<std::string> session_body(const ctl_args& args, const std::string& image);
/// The option `name` as a number; invalid_argument naming the option otherwise.
caf::expected<double> number_option(const ctl_args& args, const std::string& name);

// session_wait.cpp
/// Follows session `id` until `done(status)`, drawing its status and the progress of the
/// pulls of `images` that `pulls` saw on stderr (nothing with --json); answers the last
/// session JSON, or an error when it ends in ERROR/TERMINATED or --timeout passes.
caf::expected<std::string> follow_session(const ctl_args& args, const ctl_client& api,
                                          const std::string& id, const pull_watcher* pulls,
                                          std::vector<std::string> images,
                                          const std::function<bool(session_status)>& done);
/// follow_session until the session is RUNNING.
caf::expected<std::string> wait_running(const ctl_args& args, const ctl_client& api,
                                        const std::string& id, const pull_watcher* pulls = nullptr,
                                        const std::string& image = {});
/// follow_session until the session is past its image pulls (PREPARED or later).
caf::expected<std::string> wait_images_ready(const ctl_args& args, const ctl_client& api,
                                             const std::string& id, const pull_watcher* pulls,
                                             const std::string& image);
/// An event watcher, already subscribed so that no pull of a session created next goes unseen:
/// it draws progress and wakes a wait when the session moves. Nothing for --json when nothing
/// will wait (`will_wait` false).
std::unique_ptr<pull_watcher> watch_pulls(const ctl_args& args, const ctl_client& api,
                                          bool will_wait);

// exec_commands.cpp
int run(const ctl_args& args, const ctl_client& api);
int exec(const ctl_args& args, const ctl_client& api);

// shell_command.cpp
/// `shell SESSION`: an interactive shell in the session's main kernel (a terminal).
int shell(const ctl_args& args, const ctl_client& api);

// app_commands.cpp
/// Starts the service SERVICE of a session and prints the app proxy's URL for it.
int app(const ctl_args& args, const ctl_client& api);

// file_commands.cpp
int cp(const ctl_args& args, const ctl_client& api);
int files(const ctl_args& args, const ctl_client& api);
int logs(const ctl_args& args, const ctl_client& api);

// agent_commands.cpp
int agents(const ctl_args& args, const ctl_client& api);
/// `agents drain AGENT` / `agents undrain AGENT` (admin users only).
int agents_drain(const ctl_args& args, const ctl_client& api);
int images_purge(const ctl_args& args, const ctl_client& api);
int events(const ctl_args& args, const ctl_client& api);

// image_commands.cpp
/// `images`: the manager's image catalogue ([[images]] of manager.toml).
int images(const ctl_args& args, const ctl_client& api);

// folder_commands.cpp
int folders_create(const ctl_args& args, const ctl_client& api);
int folders_ls(const ctl_args& args, const ctl_client& api);
int folders_rm(const ctl_args& args, const ctl_client& api);

/// Prints "baikalctl: MESSAGE" and answers 1.
int fail(const caf::error& err);
int fail(const std::string& message);

} // namespace baikal::ctl
