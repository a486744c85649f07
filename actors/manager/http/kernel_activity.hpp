#pragma once

/// Which kernel calls of the API count as a session's activity against its idle_timeout
/// (actors/manager/idle_clock.hpp): what a user does in the session (running code, its
/// files, its services) does; reading its logs, restarting it or committing its image does not.

#include <type_traits>

#include "messages/kernel_interface.hpp"

namespace baikal {

/// Whether a call of `Op` on a session's main kernel is activity of the session.
template <class Op> constexpr bool is_activity() {
  return std::is_same_v<Op, op::execute> || std::is_same_v<Op, op::interrupt_kernel> ||
         std::is_same_v<Op, op::get_completions> || std::is_same_v<Op, op::accept_file> ||
         std::is_same_v<Op, op::list_files> || std::is_same_v<Op, op::download_file> ||
         std::is_same_v<Op, op::download_single> || std::is_same_v<Op, op::start_service> ||
         std::is_same_v<Op, op::shutdown_service>;
}

} // namespace baikal
