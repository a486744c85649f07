#include "actors/agent/engine_outage.hpp"

#include <algorithm>
#include <chrono>

#include "actors/agent/kernel_lifecycle.hpp"
#include "actors/agent/kernel_reconcile.hpp"
#include "actors/agent/kernel_supervision.hpp"
#include "actors/agent/warm_pool_ops.hpp"
#include "actors/kernel/kernel.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/networks.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

auto logger() {
  return log::get("agent");
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void tell_link(agent_pointer self, std::string unhealthy) {
  if (self->state.link)
    set_link_health(self->state.link, std::move(unhealthy));
}

/// Removals of lost kernels' containers running at once: after an engine restart under a
/// hundred kernels, a removal each at once kept the engine so busy that new kernels waited
/// for all of them.
constexpr uint32_t lost_cleanup_concurrency = 4;

void next_cleanups(agent_pointer self) {
  auto& st = self->state;
  while (st.cleanups_running < lost_cleanup_concurrency && !st.cleanups_waiting.empty()) {
    auto id = st.cleanups_waiting.front();
    st.cleanups_waiting.pop_front();
    auto i = st.kernels.find(id);
    if (i == st.kernels.end() || !i->second.handle) {
      st.destroying.erase(id);
      continue;
    }
    ++st.cleanups_running;
    self->request(
            i->second.handle, self->state.settings.timeouts.kernel_destroy,
            op::destroy_kernel{id, i->second.info.session, lifecycle_reason::container_lost, true})
        .then(
            [self](ack) {
              --self->state.cleanups_running;
              next_cleanups(self);
            },
            [self, id](caf::error& err) {
              auto& state = self->state;
              logger()->warn("kernel {} stays owed a destroy: {}", id, message_of(err));
              state.destroying.erase(id);
              if (state.kernels.count(id))
                state.destroys_owed[id] = lifecycle_reason::container_lost;
              --state.cleanups_running;
              next_cleanups(self);
            });
  }
}

/// The kernel's container stopped or went: it is reported at once, with the exit code the
/// engine still knew, and then ends (its actor removes what is left and frees the scratch
/// directory; the agent frees its host ports when it ends), a few at a time.
void lose_kernel(agent_pointer self, const reconcile_action& a) {
  auto& st = self->state;
  auto i = st.kernels.find(a.kernel);
  if (i == st.kernels.end())
    return;
  auto& entry = i->second;
  logger()->warn("kernel {} of session {} is lost: {}", a.kernel, entry.info.session, a.detail);
  if (!entry.handle)
    return recover_kernel(self, a.kernel); // its actor failed: the recovery finds it gone
  entry.lost = true;
  kernel_terminated_event e{
      {a.kernel, entry.info.session, st.settings.id, lifecycle_reason::container_lost}, caf::none};
  if (a.exit_code)
    e.exit_code = *a.exit_code;
  emit(self, std::move(e));
  st.destroying.insert(a.kernel);
  st.cleanups_waiting.push_back(a.kernel);
  next_cleanups(self);
}

void owed_destroy(agent_pointer self, const reconcile_action& a) {
  auto i = self->state.kernels.find(a.kernel);
  if (i == self->state.kernels.end()) {
    self->state.destroys_owed.erase(a.kernel);
    return;
  }
  if (!i->second.handle)
    return recover_kernel(self, a.kernel); // its actor failed: owed still, once it is back
  logger()->info("destroying kernel {} now that the engine answers ({})", a.kernel, a.reason);
  auto id = a.kernel;
  self->state.destroying.insert(id);
  // A lost kernel was reported when it was found lost.
  bool reported = a.reason == lifecycle_reason::container_lost;
  self->request(i->second.handle, self->state.settings.timeouts.kernel_destroy,
                op::destroy_kernel{id, i->second.info.session, a.reason, reported})
      .then([self, id](ack) { self->state.destroys_owed.erase(id); },
            [self, id](caf::error& err) {
              logger()->warn("kernel {} stays owed a destroy: {}", id, message_of(err));
              self->state.destroying.erase(id);
            });
}

/// A container no kernel owns: removed, with the scratch directory of its kernel unless that
/// kernel is served or being created by now.
void remove_orphan(agent_pointer self, const reconcile_action& a) {
  logger()->warn("removing {}", a.detail);
  auto kernel = a.kernel;
  self->request(self->state.docker, self->state.settings.timeouts.container_remove,
                docker::container_remove(a.container, true, true))
      .then(
          [self, kernel](const docker_reply&) {
            auto& st = self->state;
            if (st.kernels.count(kernel) || st.creating.count(kernel))
              return;
            remove_scratch_later(self, kernel);
          },
          [container = a.container](caf::error& err) {
            if (code_of(err) != errc::not_found)
              logger()->warn("could not remove container {}: {}", container.substr(0, 12),
                             message_of(err));
          });
}

void destroy_owed_networks(agent_pointer self) {
  auto names = std::move(self->state.networks_owed);
  self->state.networks_owed.clear();
  for (auto& name : names) {
    logger()->info("destroying local network {} now that the engine answers", name);
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::network_delete(name))
        .then([](const docker_reply&) {},
              [name](caf::error& err) {
                if (code_of(err) != errc::not_found)
                  logger()->warn("could not destroy local network {}: {}", name, message_of(err));
              });
  }
}

/// The kernels to compare: not those being destroyed (their containers are going anyway).
std::vector<served_kernel> served_kernels(const agent_state& st) {
  std::vector<served_kernel> out;
  out.reserve(st.kernels.size());
  for (auto& [id, entry] : st.kernels) {
    if (st.destroying.count(id))
      continue;
    auto owed = st.destroys_owed.find(id);
    out.push_back({id, entry.info.container_id,
                   owed == st.destroys_owed.end() ? std::string{} : owed->second});
  }
  return out;
}

void apply_actions(agent_pointer self, const std::vector<reconcile_action>& actions) {
  for (auto& a : actions)
    switch (a.what) {
    case reconcile_action::kind::lose:
      lose_kernel(self, a);
      break;
    case reconcile_action::kind::destroy:
      owed_destroy(self, a);
      break;
    case reconcile_action::kind::remove:
      remove_orphan(self, a);
      break;
    }
}

/// The engine answered and the comparison ran: the agent can take kernels again, unless the
/// engine went away again since the comparison began.
void healthy_again(agent_pointer self, size_t actions, uint64_t outages_at_start) {
  auto& st = self->state;
  if (st.engine_problem.empty() || st.engine_outages != outages_at_start)
    return;
  logger()->info("the Docker engine answers again after {:.1f}s; {} kernel(s) and container(s) "
                 "set right; taking new kernels again",
                 seconds_since(st.engine_lost_at), actions);
  st.engine_problem.clear();
  tell_link(self, {});
  destroy_owed_networks(self);
}

void reconcile_done(agent_pointer self) {
  auto& st = self->state;
  st.reconciling = false;
  if (st.reconcile_again) {
    st.reconcile_again = false;
    reconcile_with_engine(self, st.reconcile_epoch);
  }
}

} // namespace

caf::error engine_unavailable(const agent_state& st) {
  if (st.engine_problem.empty())
    return {};
  return make_error(errc::unavailable,
                    "agent " + st.settings.id + " cannot work with its Docker engine for " +
                        std::to_string(static_cast<int64_t>(seconds_since(st.engine_lost_at))) +
                        " s (" + st.engine_problem + "); try again when it answers");
}

void on_engine_lost(agent_pointer self, const engine_lost& x) {
  auto& st = self->state;
  if (st.engine_problem.empty())
    st.engine_lost_at = std::chrono::steady_clock::now();
  st.engine_problem = x.problem.empty() ? "the Docker engine does not answer" : x.problem;
  ++st.engine_outages;
  logger()->warn("agent {} is unhealthy: {}; taking no new kernels until the engine answers",
                 st.settings.id, st.engine_problem);
  tell_link(self, st.engine_problem);
}

void on_engine_answers(agent_pointer self, const engine_answers&) {
  reconcile_with_engine(self, self->state.reconcile_epoch);
}

void on_kernel_container_event(agent_pointer self, const kernel_container_event& x) {
  auto& st = self->state;
  auto kernel = x.kernel;
  if (is_warm_label(kernel)) {
    auto holder = on_warm_container_event(self, kernel, x.container);
    if (!holder)
      return;
    kernel = *holder;
  }
  auto i = st.kernels.find(kernel);
  // A container the agent removes itself (destroy, restart, failed creation) also makes events.
  if (i == st.kernels.end() || i->second.info.container_id != x.container ||
      st.destroying.count(kernel))
    return;
  logger()->info("container {} of kernel {}: {}", x.container.substr(0, 12), kernel, x.action);
  reconcile_with_engine(self, st.reconcile_epoch);
}

void on_kernel_destroys_itself(agent_pointer self, const kernel_destroys_itself& x) {
  // Until its actor ends (forget_kernel), as for a destroy the agent asked for.
  if (self->state.kernels.count(x.kernel))
    self->state.destroying.insert(x.kernel);
  self->state.ended_kernels.remember(x.kernel, x.reason);
}

void reconcile_with_engine(agent_pointer self, uint64_t epoch) {
  auto& st = self->state;
  if (epoch != st.reconcile_epoch)
    return;
  if (st.reconciling) {
    st.reconcile_again = true;
    return;
  }
  st.reconciling = true;
  ++st.reconcile_epoch;
  auto outages = st.engine_outages;
  // Only these can be judged by the list: one made meanwhile may be missing from it.
  auto warm_ready = st.warm.ready_containers();
  self->request(st.docker, st.settings.timeouts.engine_call, list_agent_containers(st.settings.id))
      .then(
          [self, outages, warm_ready](const docker_reply& reply) {
            auto& state = self->state;
            auto left_alone = state.creating;
            left_alone.insert(state.destroying.begin(), state.destroying.end());
            auto warm = state.warm.labels();
            left_alone.insert(warm.begin(), warm.end());
            for (auto& handing : state.warm_handing_over)
              left_alone.insert(handing.first);
            auto listed = parse_kernel_containers(reply.body);
            check_warm_containers(self, warm_ready, listed);
            auto actions = reconcile_kernels(served_kernels(state), left_alone, listed);
            apply_actions(self, actions);
            healthy_again(self, actions.size(), outages);
            reconcile_done(self);
          },
          [self](caf::error& err) {
            auto& state = self->state;
            logger()->warn("cannot compare kernels with the engine's containers: {}; trying "
                           "again",
                           message_of(err));
            state.reconciling = false;
            self->delayed_send(self, std::chrono::seconds(1),
                               reconcile_kernels_tick{state.reconcile_epoch});
          });
}

caf::result<ack> destroy_kernel(agent_pointer self, const op::destroy_kernel& x) {
  auto& st = self->state;
  auto i = st.kernels.find(x.kernel);
  if (i == st.kernels.end())
    return unknown_kernel(st, x.kernel);
  if (auto err = engine_unavailable(st)) {
    st.destroys_owed[x.kernel] = x.reason;
    return make_error(errc::unavailable,
                      message_of(err) + "; kernel " + x.kernel + " is destroyed when it does");
  }
  if (std::find(st.cleanups_waiting.begin(), st.cleanups_waiting.end(), x.kernel) !=
      st.cleanups_waiting.end()) {
    // Lost and reported: its removal waits its turn. As for any kernel being destroyed, a
    // restart would create it anew beside a container still there.
    if (x.reason == lifecycle_reason::restarting)
      return make_error(errc::conflict, "kernel " + x.kernel +
                                            " lost its container and is being removed; it "
                                            "cannot be restarted");
    return ack{};
  }
  if (auto err = refuse_while_recovering(self, x.kernel))
    return err;
  auto promise = make_guarded_promise<ack>(self);
  st.destroying.insert(x.kernel);
  self->request(i->second.handle, caf::infinite, x)
      .then([promise](ack) mutable { promise.deliver(ack{}); },
            [self, x, promise](caf::error& err) mutable {
              self->state.destroying.erase(x.kernel);
              if (code_of(err) == errc::unavailable && self->state.kernels.count(x.kernel))
                self->state.destroys_owed[x.kernel] = x.reason;
              promise.deliver(std::move(err));
            });
  return promise;
}

} // namespace baikal
