#include "actors/manager/session_state.hpp"

#include "actors/manager/batch_session.hpp"

namespace baikal {

namespace {

void batch_start_failed(session_ptr self, const agent_id& agent, const std::string& why) {
  if (self->state.status == session_status::running)
    fail(self, "the batch command could not be started on agent " + agent + ": " + why, agent);
}

} // namespace

void start_batch(session_ptr self) {
  auto& st = self->state;
  auto& main = st.spec().kernels.front();
  auto agent = main.agent;
  op::trigger_batch_execution run{st.spec().id, main.id, st.spec().startup_command,
                                  st.spec().batch_timeout};
  self->request(st.ctx->registry, st.ctx->timeouts.termination_lookup, reg::lookup_agents{{agent}})
      .then(
          [self, agent, run](agent_directory& dir) {
            auto handle = dir.find(agent);
            if (handle == dir.end())
              return batch_start_failed(self, agent, "the agent is not connected");
            self->request(handle->second, self->state.ctx->timeouts.internal_call, run)
                .then([](ack) {},
                      [self, agent](caf::error& err) {
                        batch_start_failed(self, agent, message_of(err));
                      });
          },
          [self, agent](caf::error& err) { batch_start_failed(self, agent, message_of(err)); });
}

void on_batch_result(session_ptr self, const batch_result_event& e) {
  auto& st = self->state;
  if (st.spec().kernels.empty() || e.header.kernel != st.spec().kernels.front().id)
    return;
  if (!st.batch_recorded) {
    st.batch_recorded = true;
    caf::optional<int32_t> code;
    if (e.outcome == batch_outcome::finished)
      code = e.exit_code;
    // Before the status moves: whoever sees the session ended finds its output stored.
    store_write(self, repo::set_batch_result{st.spec().id, code, bounded_batch_output(e.output)});
  }
  if (st.status != session_status::running)
    return;
  auto end = decide_batch_end(e, st.spec().batch_timeout);
  st.log->info("session {}: {}", st.spec().id, end.reason);
  if (!end.error)
    return begin_termination(self, end.reason, lifecycle_reason::batch_finished);
  fail(self, end.reason, e.header.agent, true,
       e.outcome == batch_outcome::timeout ? errc::timeout : errc::runtime_error);
  // fail() destroys the kernels from a later callback, which reads the reason then.
  st.destroy_reason = lifecycle_reason::batch_finished;
}

} // namespace baikal
