#pragma once

/// The agent double's kernel model: what a stand-in agent answers to the operations the
/// manager and launcher ask, kept in the double's state and ledger. Every other operation is
/// answered by the template at the end: a failure set for it in the ledger, or "unsupported".

#include "actors/agent_double/double_actor.hpp"

namespace baikal::agent_double::detail {

caf::result<pull_jobs> answer(self_ptr self, op::check_and_pull& x);
caf::result<created_kernels> answer(self_ptr self, op::create_kernels& x);
caf::result<ack> answer(self_ptr self, op::destroy_kernel& x);
caf::result<ack> answer(self_ptr self, op::sync_kernel_registry& x);
caf::result<ack> answer(self_ptr self, op::create_local_network& x);
caf::result<ack> answer(self_ptr self, op::destroy_local_network& x);
probe_result answer(self_ptr self, op::check_pulling&);
probe_result answer(self_ptr self, op::check_creating& x);
probe_result answer(self_ptr self, op::check_running& x);
caf::result<assigned_port> answer(self_ptr self, op::assign_port&);
std::string answer(self_ptr, op::ping& x);
ack answer(self_ptr, op::release_port&);
ack answer(self_ptr, op::update_scaling_group&);
hardware_info answer(self_ptr, op::gather_hwinfo&);
ack answer(self_ptr, op::shutdown&);

/// Every operation the model does not know: a failure set for it, or "unsupported".
template <class Op> caf::error answer(self_ptr self, Op&) {
  if (auto err = failure<Op>(self))
    return err;
  return unsupported<Op>(self);
}

} // namespace baikal::agent_double::detail
