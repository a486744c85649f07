#pragma once

/// `baikalctl completion bash|zsh`: a completion script made from the CLI11 description of the
/// command line (ctl_app.hpp), so it knows every command, alias and option there is.

#include <string>

namespace baikal::ctl {

/// The script for `shell` ("bash" or "zsh"); empty for any other shell.
std::string completion_script(const std::string& shell);

} // namespace baikal::ctl
