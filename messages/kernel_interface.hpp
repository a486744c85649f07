#pragma once

/// The kernel actor's interface: what the agent forwards to the actor that owns one kernel's
/// container. It stays on the agent node.

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_ops.hpp"
#include "messages/execution_types.hpp"

namespace baikal {

using kernel_actor = caf::typed_actor<
  caf::replies_to<op::execute>::with<execution_result>,
  caf::replies_to<op::interrupt_kernel>::with<ack>,
  caf::replies_to<op::get_completions>::with<completion_result>,
  caf::replies_to<op::start_service>::with<service_result>,
  caf::replies_to<op::shutdown_service>::with<ack>,
  caf::replies_to<op::ping_kernel>::with<kernel_ping>,
  caf::replies_to<op::get_logs>::with<kernel_logs>,
  caf::replies_to<op::destroy_kernel>::with<ack>,
  caf::replies_to<op::accept_file>::with<ack>,
  caf::replies_to<op::download_file>::with<file_bytes>,
  caf::replies_to<op::download_single>::with<file_bytes>,
  caf::replies_to<op::list_files>::with<file_listing>,
  caf::replies_to<op::get_commit_status>::with<commit_state>,
  caf::replies_to<op::commit>::with<ack>>;

} // namespace baikal
