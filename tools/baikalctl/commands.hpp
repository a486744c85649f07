#pragma once

/// baikalctl's commands. Each answers the process exit code; errors are printed to stderr as
/// one line naming what went wrong.

#include <string>

#include <caf/error.hpp>

#include "tools/baikalctl/ctl_args.hpp"
#include "tools/baikalctl/ctl_client.hpp"

namespace baikal::ctl {

// session_commands.cpp
int session_create(const ctl_args& args, const ctl_client& api);
int session_ls(const ctl_args& args, const ctl_client& api);
int session_show(const ctl_args& args, const ctl_client& api);
int session_rm(const ctl_args& args, const ctl_client& api);
/// The JSON body of POST /v1/sessions from `image` and the options of `args`.
caf::expected<std::string> session_body(const ctl_args& args, const std::string& image);
/// Waits until `id` runs, showing its progress on stderr; answers its last session JSON.
caf::expected<std::string> wait_running(const ctl_args& args, const ctl_client& api,
                                        const std::string& id);

// exec_commands.cpp
int run(const ctl_args& args, const ctl_client& api);
int exec(const ctl_args& args, const ctl_client& api);

// file_commands.cpp
int cp(const ctl_args& args, const ctl_client& api);
int files(const ctl_args& args, const ctl_client& api);
int logs(const ctl_args& args, const ctl_client& api);

// agent_commands.cpp
int agents(const ctl_args& args, const ctl_client& api);
int images_purge(const ctl_args& args, const ctl_client& api);
int events(const ctl_args& args, const ctl_client& api);

/// Prints "baikalctl: MESSAGE" and answers 1.
int fail(const caf::error& err);
int fail(const std::string& message);

} // namespace baikal::ctl
