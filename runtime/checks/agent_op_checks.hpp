#pragma once

/// Checks of the agent operations' arguments as they arrive over the network: the agent
/// answers invalid_argument naming the field for a value it cannot act on safely, before
/// any kernel, file or engine sees it. Plain functions, one per operation that carries more
/// than ids; every other operation passes (`check_op` of anything else is none).

#include <cstddef>

#include <caf/error.hpp>

#include "messages/agent_interface.hpp"
#include "messages/kernel_types.hpp"
#include "runtime/checks/field_checks.hpp"

namespace baikal::checks {

/// What the agent bounds (agent.toml [container]).
struct op_limits {
  size_t max_code_bytes = 1024 * 1024; ///< execute code, completion text, batch commands
};

/// Ids the agent makes paths and names of (scratch directories, container names).
caf::error check_id(const std::string& field, const std::string& id);

caf::error check_op(const op::get_completions& x, const op_limits& limits);
caf::error check_op(const op::start_service& x, const op_limits& limits);
caf::error check_op(const op::shutdown_service& x, const op_limits& limits);
caf::error check_op(const op::commit& x, const op_limits& limits);
caf::error check_op(const op::get_commit_status& x, const op_limits& limits);
caf::error check_op(const op::trigger_batch_execution& x, const op_limits& limits);
caf::error check_op(const op::create_kernels& x, const op_limits& limits);
caf::error check_op(const op::restart_kernel& x, const op_limits& limits);
caf::error check_op(const op::purge_images& x, const op_limits& limits);
caf::error check_op(const op::upload_chunk& x, const op_limits& limits);
caf::error check_op(const op::open_download& x, const op_limits& limits);
caf::error check_op(const op::read_download& x, const op_limits& limits);

/// Operations whose arguments need no check beyond their types (ids are looked up).
template <class Op> caf::error check_op(const Op&, const op_limits&) {
  return {};
}

/// One kernel's creation config: ids, image reference, environment, hostname, timeouts, and
/// mounts (storage folders at /home/work/NAME, "rw" or "ro").
caf::error check_creation_config(const std::string& field, const kernel_creation_config& cfg);

} // namespace baikal::checks
