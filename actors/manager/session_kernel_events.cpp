#include "actors/manager/session_state.hpp"

namespace baikal {

namespace {

/// Whether the event is about one of the session's kernels where it is bound now: events of
/// an attempt that failed on another agent (the session was placed again) are not.
bool is_ours(const scheduled_session& spec, const kernel_event_header& h) {
  auto i = kernel_index(spec, h.kernel);
  return i < spec.kernels.size() && (h.agent.empty() || spec.kernels[i].agent == h.agent);
}

/// The main kernel's services, for GET /v1/sessions/{id} and the app proxy's users.
void record_service_ports(session_ptr self, const kernel_started_event& e) {
  auto& spec = self->state.spec();
  auto i = kernel_index(spec, e.header.kernel);
  if (i < spec.kernels.size() && spec.kernels[i].role == cluster_role::main &&
      !e.info.service_ports.empty())
    store_write(self, repo::set_service_ports{spec.id, e.info.service_ports});
}

} // namespace

void on_started(session_ptr self, const kernel_started_event& e) {
  auto& st = self->state;
  if (!is_ours(st.spec(), e.header))
    return;
  record_service_ports(self, e);
  if (st.status == session_status::creating || st.status == session_status::terminating)
    kernel_running(self, e.header.kernel, e.info.container_id, "its kernel_started event");
  else if (st.status == session_status::running) { // a restarted kernel: same id, new container
    store_write(self, repo::set_kernel_status{e.header.kernel, kernel_status::running,
                                              e.info.container_id});
  }
}

void on_terminated(session_ptr self, const kernel_terminated_event& e) {
  auto& st = self->state;
  auto& h = e.header;
  if (!is_ours(st.spec(), h))
    return;
  auto what = "kernel " + h.kernel + " terminated on agent " + h.agent + " (" + h.reason + ")";
  // A restart destroys the container and makes a new one under the same kernel id; a failed
  // restart reports its own reason (restart-timeout, failed-to-create) and ends the session.
  if (st.status == session_status::running && h.reason == lifecycle_reason::restarting)
    return;
  // The container died under the kernel (the engine restarted, it was killed or removed): the
  // session cannot go on, and status_data says why.
  if (h.reason == lifecycle_reason::container_lost &&
      (st.status == session_status::running || st.status == session_status::creating)) {
    store_write(self, repo::set_kernel_status{h.kernel, kernel_status::terminated, {}});
    auto code = e.exit_code ? ", exit code " + std::to_string(*e.exit_code) : std::string{};
    return fail(self,
                "kernel " + h.kernel + " lost its container on agent " + h.agent + " (" + h.reason +
                    code + ")",
                h.agent);
  }
  // The runner's limit ended the batch command with its kernel: the result event may come
  // after this one, or never.
  if (st.status == session_status::running && st.spec().type == session_type::batch &&
      h.reason == lifecycle_reason::exec_timeout) {
    store_write(self, repo::set_kernel_status{h.kernel, kernel_status::terminated, {}});
    return on_batch_result(self, batch_result_event{h, batch_outcome::timeout, caf::none, {}});
  }
  if (st.status == session_status::running) {
    // No container id: the store keeps the one it recorded.
    store_write(self, repo::set_kernel_status{h.kernel, kernel_status::terminated, {}});
    return begin_termination(self, what, lifecycle_reason::self_terminated);
  }
  bool creation_failed = h.reason == lifecycle_reason::failed_to_create ||
                         h.reason == lifecycle_reason::failed_to_start;
  // While the launcher is still answering, its report carries the agent's full error.
  if (st.status == session_status::creating && creation_failed && !st.start_outstanding)
    return fail(self, what, h.agent);
  // Other reasons before RUNNING (a reconciliation's "already-terminated" for a kernel not
  // created yet) change nothing: the probes check what really runs.
}

} // namespace baikal
