#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "messages/agent_interface.hpp"

namespace baikal {

/// Creates one kernel of `image` on `agent`, runs `code` until it finishes (printing its
/// output as it comes), destroys the kernel, and answers the code's exit code (or 1 with the
/// error on stderr).
int run_once(caf::actor_system& sys, const agent_actor& agent, const std::string& image,
             const std::string& code);

} // namespace baikal
