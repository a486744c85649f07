#include "actors/manager/session_state.hpp"

#include <algorithm>

#include "actors/manager/error_info.hpp"
#include "actors/manager/launch_plan.hpp"
#include "actors/manager/launch_retry.hpp"
#include "actors/supervision/fan_in.hpp"

namespace baikal {

namespace {

/// Every agent that failed an attempt of the session so far.
std::vector<agent_id> failed_agents(const session_state& st) {
  std::vector<agent_id> out;
  for (auto& attempt : st.attempts)
    for (auto& agent : launch::agents_of(attempt))
      if (std::find(out.begin(), out.end(), agent) == out.end())
        out.push_back(agent);
  return out;
}

/// The attempt's leftovers are gone: forget the attempt's progress and ask the front to place
/// the session again.
void requeue(session_ptr self) {
  auto& st = self->state;
  if (!st.cleaning_up || st.status != session_status::pending)
    return; // terminated meanwhile
  st.cleaning_up = false;
  st.started.clear();
  st.started_count = 0;
  st.start_succeeded = false;
  st.creates_resent = false;
  st.pulls_resent = false;
  st.pending_pulls.clear();
  st.network_id.clear();
  st.pending_reason.clear();
  store_write(self, repo::update_session_error_info{
                        st.spec().id, launch::make_attempts_info(st.attempts, false)});
  self->send(st.ctx->front, front::place_again{st.spec().id, failed_agents(st)});
}

/// Destroys the attempt's kernels (without events: they belong to an attempt the session left)
/// and its single-node bridge on every agent that answers, then requeues.
void clean_up(session_ptr self, const agent_directory& dir) {
  auto& st = self->state;
  auto t = make_fan_in([self] { requeue(self); });
  auto& spec = st.spec();
  for (auto& k : spec.kernels) {
    auto handle = dir.find(k.agent);
    if (handle == dir.end())
      continue; // not connected: its reconciliation destroys what the manager does not know
    t->expect();
    self->request(handle->second, st.ctx->timeouts.attempt_cleanup,
                  op::destroy_kernel{k.id, spec.id, lifecycle_reason::failed_to_start, true})
        .then([t](ack) { t->answered(); }, [t](caf::error&) { t->answered(); });
  }
  if (launch::plan_network(spec) == launch::network_kind::local_bridge) {
    auto handle = dir.find(spec.kernels.front().agent);
    if (handle != dir.end()) {
      t->expect();
      self->request(handle->second, st.ctx->timeouts.attempt_cleanup,
                    op::destroy_local_network{launch::single_node_network_name(spec.id)})
          .then([t](ack) { t->answered(); }, [t](caf::error&) { t->answered(); });
    }
  }
  t->release();
}

} // namespace

void report_start(session_ptr self, const session_start_outcome& outcome) {
  // A success shows as RUNNING, which the front hears of anyway (session_changed).
  auto failed = launch::agent_side(outcome.failures);
  if (!failed.empty())
    self->send(self->state.ctx->front, front::launch_failed{self->state.spec().id, failed});
}

bool may_place_again(session_ptr self, const session_start_outcome* outcome) {
  auto& st = self->state;
  return outcome && launch::may_retry(outcome->failures, st.retries, st.ctx->launch_retries);
}

void place_again(session_ptr self, const std::vector<start_failure>& failures) {
  auto& st = self->state;
  ++st.retries;
  st.attempts.push_back(failures);
  auto reason = "attempt " + std::to_string(st.retries) + " of " +
                std::to_string(st.ctx->launch_retries + 1) + " failed (" +
                launch::describe(failures) + "); placing the session again";
  st.log->warn("session {}: {}", st.spec().id, reason);
  st.cleaning_up = true;
  move_to(self, session_status::pending, reason);
  self->request(st.ctx->registry, st.ctx->timeouts.attempt_cleanup,
                reg::lookup_agents{agents_of(st.spec())})
      .then([self](agent_directory& dir) { clean_up(self, dir); },
            [self](caf::error&) { clean_up(self, {}); });
}

void start_failed(session_ptr self, const caf::error& err, const session_start_outcome* outcome,
                  bool launcher_wrote) {
  auto& st = self->state;
  auto why = "starting the kernels failed: " + message_of(err);
  if (st.attempts.empty())
    return fail(self, why, {}, !launcher_wrote, code_of(err));
  if (outcome && !outcome->failures.empty())
    st.attempts.push_back(outcome->failures);
  else
    st.attempts.push_back({start_failure{{}, code_of(err), message_of(err)}});
  // After the launcher's own error info, which named this attempt only, and before the status
  // moves, so that whoever sees ERROR sees every attempt.
  store_write(self, repo::update_session_error_info{st.spec().id,
                                                    launch::make_attempts_info(st.attempts, true)});
  fail(self,
       why + " (attempt " + std::to_string(st.attempts.size()) + " of " +
           std::to_string(st.ctx->launch_retries + 1) + ")",
       {}, false, code_of(err));
}

} // namespace baikal
