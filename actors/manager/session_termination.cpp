#include "actors/manager/session_state.hpp"

#include "actors/manager/error_info.hpp"
#include "actors/manager/launch_plan.hpp"
#include "actors/supervision/fan_in.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

/// TERMINATED after a termination; an ERROR session only stops once cleaned up.
void finish(session_ptr self) {
  auto& st = self->state;
  if (st.status == session_status::terminating)
    move_to(self, session_status::terminated, st.termination_reason);
  self->quit();
}

void destroy_plugin_network(session_ptr self) {
  auto& st = self->state;
  auto plugin = st.ctx->network_plugins.find(st.ctx->default_network_driver);
  if (!plugin) {
    st.log->error("session {}: {}", st.spec().id, message_of(plugin.error()));
    return finish(self);
  }
  auto handle = *plugin;
  self->request(st.ctx->store, st.ctx->timeouts.store_call, repo::get_session{st.spec().id})
      .then(
          [self, handle](session_record& rec) {
            if (rec.network_id.empty())
              return finish(self);
            self->request(handle, self->state.ctx->timeouts.kernel_destroy,
                          net::destroy_network{rec.network_id})
                .then([self](ack) { finish(self); },
                      [self](caf::error& err) {
                        self->state.log->warn("session {}: destroying its network: {}",
                                              self->state.spec().id, message_of(err));
                        finish(self);
                      });
          },
          [self](caf::error&) { finish(self); });
}

void destroy_network(session_ptr self, const agent_directory& dir) {
  auto& st = self->state;
  switch (launch::plan_network(st.spec())) {
  case launch::network_kind::local_bridge: {
    auto agent = st.spec().kernels.front().agent;
    auto handle = dir.find(agent);
    if (handle == dir.end()) {
      st.log->warn("session {}: agent {} is not connected; its bridge stays", st.spec().id, agent);
      return finish(self);
    }
    auto name = launch::single_node_network_name(st.spec().id);
    self->request(handle->second, st.ctx->timeouts.kernel_destroy, op::destroy_local_network{name})
        .then([self](ack) { finish(self); },
              [self, name](caf::error& err) {
                // not_found: the start failed before the bridge was made.
                if (code_of(err) != errc::not_found)
                  self->state.log->warn("session {}: destroying {}: {}", self->state.spec().id,
                                        name, message_of(err));
                finish(self);
              });
    return;
  }
  case launch::network_kind::plugin:
    return destroy_plugin_network(self);
  default:
    return finish(self);
  }
}

void destroy_kernels(session_ptr self, const agent_directory& dir) {
  auto& st = self->state;
  auto t = make_fan_in([self, dir] { destroy_network(self, dir); });
  for (auto& k : st.spec().kernels) {
    // No container id: the store keeps the one it recorded.
    store_write(self, repo::set_kernel_status{k.id, kernel_status::terminated, {}});
    auto handle = dir.find(k.agent);
    if (handle == dir.end()) {
      st.log->warn("session {}: agent {} is not connected; kernel {} goes at its next "
                   "reconciliation",
                   st.spec().id, k.agent, k.id);
      continue;
    }
    t->expect();
    self->request(handle->second, st.ctx->timeouts.kernel_destroy,
                  op::destroy_kernel{k.id, st.spec().id, st.destroy_reason, false})
        .then([t](ack) { t->answered(); },
              [self, t, id = k.id](caf::error& err) {
                // not_found: never created, or already gone.
                if (code_of(err) != errc::not_found)
                  self->state.log->warn("session {}: destroying kernel {}: {}",
                                        self->state.spec().id, id, message_of(err));
                t->answered();
              });
  }
  t->release();
}

} // namespace

void continue_termination(session_ptr self) {
  auto& st = self->state;
  self->request(st.ctx->registry, st.ctx->timeouts.termination_lookup,
                reg::lookup_agents{agents_of(st.spec())})
      .then([self](agent_directory& dir) { destroy_kernels(self, dir); },
            [self](caf::error&) { destroy_kernels(self, {}); });
}

void begin_termination(session_ptr self, const std::string& reason, const std::string& why) {
  auto& st = self->state;
  if (st.status == session_status::terminating || is_terminal(st.status))
    return;
  bool kernels_may_exist =
      st.status == session_status::creating || st.status == session_status::running;
  st.termination_reason = reason;
  st.destroy_reason = why;
  move_to(self, session_status::terminating, reason);
  // Nobody asked for this end: status_data says why, as it does for a failure.
  if (why == lifecycle_reason::idle_timeout)
    store_write(self, repo::update_session_error_info{
                          st.spec().id, launch::make_error_info({launch::launch_failure{
                                            {}, make_error(errc::timeout, reason)}})});
  if (!kernels_may_exist)
    return finish(self);
  // A start under way may still create kernels: destroy once the launcher has answered (or
  // the phase timer gives up waiting).
  if (!st.start_outstanding)
    continue_termination(self);
}

void fail(session_ptr self, const std::string& reason, const agent_id& agent, bool write_error_info,
          errc code) {
  auto& st = self->state;
  if (is_terminal(st.status))
    return;
  bool kernels_may_exist = st.status == session_status::creating ||
                           st.status == session_status::running ||
                           st.status == session_status::terminating;
  st.log->warn("session {} failed: {}", st.spec().id, reason);
  // Before the status moves: whoever sees ERROR sees why.
  if (write_error_info) {
    auto info = launch::make_error_info({launch::launch_failure{agent, make_error(code, reason)}});
    store_write(self, repo::update_session_error_info{st.spec().id, info});
  }
  move_to(self, session_status::error, reason);
  st.destroy_reason = lifecycle_reason::failed_to_start;
  if (!kernels_may_exist)
    return self->quit();
  if (!st.start_outstanding)
    continue_termination(self);
  // else: on_start_report cleans up when the launcher answers.
}

} // namespace baikal
