#include "actors/agent/kernel_supervision.hpp"

#include <algorithm>

#include "actors/agent/kernel_lifecycle.hpp"
#include "actors/agent/service_ports.hpp"
#include "actors/kernel/kernel.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using clock = std::chrono::steady_clock;

auto logger() {
  return log::get("agent");
}

kernel_entry* find_entry(agent_pointer self, const kernel_id& id) {
  auto i = self->state.kernels.find(id);
  return i == self->state.kernels.end() ? nullptr : &i->second;
}

/// Drops the kernel from the registry and frees its host ports.
void forget_kernel(agent_pointer self, const kernel_id& id) {
  auto i = self->state.kernels.find(id);
  if (i == self->state.kernels.end())
    return;
  release_service_ports(i->second.info.service_ports, self->state.ports);
  self->state.destroying.erase(id);
  self->state.kernels.erase(i);
  persist_registry(self);
}

/// The kernel cannot be served again: its container and scratch directory go, and its session
/// learns that it ended.
void give_up(agent_pointer self, const kernel_id& id, const std::string& why) {
  auto* entry = find_entry(self, id);
  if (!entry)
    return;
  auto info = entry->info;
  // A kernel found lost before its actor failed was reported then; its session hears one end.
  bool reported = entry->lost;
  logger()->error("kernel {} of session {} is given up: {}", id, info.session, why);
  if (!info.container_id.empty())
    self->request(self->state.docker, self->state.settings.timeouts.container_remove,
                  docker::container_remove(info.container_id, true, true))
        .then([](const docker_reply&) {},
              [id](caf::error& err) {
                logger()->warn("could not remove the container of kernel {}: {}", id,
                               message_of(err));
              });
  remove_scratch_later(self, id);
  forget_kernel(self, id);
  if (!reported)
    emit(self, kernel_terminated_event{
                   {id, info.session, self->state.settings.id, kernel_actor_failed}, caf::none});
}

void on_inspected(agent_pointer self, const kernel_id& id, const docker_reply& reply) {
  auto* entry = find_entry(self, id);
  if (!entry || !entry->recovering)
    return;
  auto c = docker::parse_container_info(reply.body);
  if (!c)
    return give_up(self, id, "its container cannot be read: " + message_of(c.error()));
  if (!c->running)
    return give_up(self, id,
                   "its container " + entry->info.container_id.substr(0, 12) + " is " + c->status);
  entry->recovering = false;
  auto info = entry->info;
  auto cluster = entry->cluster;
  serve_kernel(self, info, cluster);
  logger()->warn("kernel {} of session {} is served again from container {} after its actor "
                 "failed ({} of {} recoveries within {} min)",
                 id, info.session, info.container_id.substr(0, 12),
                 self->state.kernels[id].failures.size(), max_kernel_recoveries,
                 std::chrono::duration_cast<std::chrono::minutes>(kernel_recovery_window).count());
}

void check_container(agent_pointer self, const kernel_id& id) {
  auto* entry = find_entry(self, id);
  self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                docker::container_inspect(entry->info.container_id))
      .then([self, id](const docker_reply& reply) { on_inspected(self, id, reply); },
            [self, id](caf::error& err) {
              if (code_of(err) == errc::not_found)
                return give_up(self, id, "its container is gone");
              auto* current = find_entry(self, id);
              if (!current)
                return;
              // Not known either way: the next request for the kernel checks again.
              current->recovering = false;
              logger()->warn("kernel {}: cannot check its container ({}); checking again at "
                             "the next request for it",
                             id, message_of(err));
            });
}

} // namespace

bool may_recover(std::vector<clock::time_point>& failures, clock::time_point now) {
  failures.erase(std::remove_if(failures.begin(), failures.end(),
                                [now](auto t) { return now - t > kernel_recovery_window; }),
                 failures.end());
  return failures.size() <= static_cast<size_t>(max_kernel_recoveries);
}

void serve_kernel(agent_pointer self, const kernel_info& info, const cluster_info& cluster) {
  auto& st = self->state;
  auto dirs = scratch_dirs_of(st.settings.scratch_root, info.id);
  auto handle =
      spawn_kernel(self->home_system(),
                   kernel_setup{info, dirs, st.docker, st.events, st.settings.base_commit_path,
                                st.blocking, st.settings.before_execute, st.settings.input_limits,
                                st.settings.max_concurrent_runs, caf::actor_cast<caf::actor>(self),
                                st.settings.timeouts});
  self->monitor(handle);
  auto& entry = st.kernels[info.id];
  entry.handle = handle;
  entry.info = info;
  entry.cluster = cluster;
  entry.recovering = false;
}

bool on_kernel_down(agent_pointer self, const caf::actor_addr& who, const caf::error& reason) {
  auto& kernels = self->state.kernels;
  auto i = std::find_if(kernels.begin(), kernels.end(),
                        [&](auto& k) { return k.second.handle.address() == who; });
  if (i == kernels.end())
    return false;
  auto id = i->first;
  auto& entry = i->second;
  if (!reason || self->state.phase == agent_phase::stopping) {
    forget_kernel(self, id); // destroyed (or ending with a stopping agent)
    return true;
  }
  entry.handle = nullptr;
  entry.last_failure = message_of(reason);
  entry.failures.push_back(clock::now());
  logger()->error("the actor of kernel {} of session {} ended: {}", id, entry.info.session,
                  entry.last_failure);
  if (!may_recover(entry.failures, clock::now()))
    give_up(
        self, id,
        "its actor failed " + std::to_string(entry.failures.size()) + " times within " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::minutes>(kernel_recovery_window).count()) +
            " min (last: " + entry.last_failure + ")");
  else
    recover_kernel(self, id);
  return true;
}

void recover_kernel(agent_pointer self, const kernel_id& id) {
  auto* entry = find_entry(self, id);
  if (!entry || entry->recovering)
    return;
  if (entry->handle) {
    // Its actor still runs: end it first, the rest follows from its down message.
    caf::anon_send_exit(entry->handle, caf::exit_reason::kill);
    return;
  }
  entry->recovering = true;
  check_container(self, id);
}

caf::error refuse_while_recovering(agent_pointer self, const kernel_id& id) {
  auto* entry = find_entry(self, id);
  if (!entry || entry->handle)
    return {};
  if (!entry->recovering) {
    // The engine could not say last time: ask again.
    entry->recovering = true;
    check_container(self, id);
  }
  return make_error(errc::unavailable, "kernel " + id +
                                           " is being recovered after its actor "
                                           "failed (" +
                                           entry->last_failure + "); try again");
}

} // namespace baikal
