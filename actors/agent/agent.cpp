#include "actors/agent/agent.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/agent/engine_outage.hpp"
#include "actors/agent/engine_watch.hpp"
#include "actors/agent/image_ops.hpp"
#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/kernel_lifecycle.hpp"
#include "actors/agent/kernel_network.hpp"
#include "actors/agent/kernel_supervision.hpp"
#include "actors/agent/network_ops.hpp"
#include "actors/agent/service_ports.hpp"
#include "actors/agent/warm_pool_ops.hpp"
#include "actors/kernel/kernel.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/config/scaling_group.hpp"
#include "runtime/hwinfo/hardware_probe.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

caf::error unknown_kernel(const agent_state& st, const kernel_id& id) {
  return make_error(errc::not_found, "kernel " + id + " is not known to agent " + st.settings.id);
}

caf::error refuse_when_stopping(const agent_state& st) {
  if (st.phase == agent_phase::serving)
    return {};
  return make_error(errc::unavailable,
                    "agent " + st.settings.id + " is shutting down; it takes no new work");
}

namespace {

caf::error refuse_deposed(agent_pointer self) {
  auto& followed = self->state.settings.followed;
  auto& sender = self->current_sender();
  if (!followed || !sender || followed->admits(sender->node(), self->node()))
    return {};
  log::get("agent")->warn("refused a command from manager node {}: agent {} follows another "
                          "manager now",
                          to_string(sender->node()), self->state.settings.id);
  return make_error(errc::unavailable, "agent " + self->state.settings.id +
                                           " follows another manager now: a manager that lost "
                                           "the lead may not command it");
}

} // namespace

agent_state::~agent_state() {
  for (auto& entry : kernels)
    if (entry.second.handle)
      caf::anon_send_exit(entry.second.handle, caf::exit_reason::user_shutdown);
  for (auto& entry : pulls)
    caf::anon_send_exit(entry.second.handle, caf::exit_reason::user_shutdown);
  // Linked, but a link passes on no normal exit.
  if (blocking)
    caf::anon_send_exit(blocking, caf::exit_reason::user_shutdown);
}

namespace {

/// Hands `x` to the kernel actor it names, or answers the spec's KeyError. Refused while the
/// agent stops or the kernel is being recovered; a destroy always goes through (the kernel
/// answers it at once when it is being destroyed already).
template <class Result, class Request>
caf::result<Result> to_kernel(agent_pointer self, Request&& x) {
  if (auto err = refuse_deposed(self))
    return err;
  auto i = self->state.kernels.find(x.kernel);
  if (i == self->state.kernels.end())
    return unknown_kernel(self->state, x.kernel);
  constexpr bool is_destroy = std::is_same<std::decay_t<Request>, op::destroy_kernel>::value;
  if (!is_destroy)
    if (auto err = refuse_when_stopping(self->state))
      return err;
  if (auto err = refuse_while_recovering(self, x.kernel))
    return err;
  if (auto err = checks::check_op(x, self->state.settings.input_limits))
    return err;
  return self->delegate(i->second.handle, std::forward<Request>(x));
}

/// A kernel or pull job ended: drop it from the registry it was in (or recover the kernel).
void on_down(agent_pointer self, const caf::down_msg& dm) {
  auto& pulls = self->state.pulls;
  for (auto i = pulls.begin(); i != pulls.end(); ++i)
    if (i->second.handle.address() == dm.source) {
      pulls.erase(i);
      return;
    }
  on_kernel_down(self, dm.source, dm.reason);
}

/// Refuses `x` with unavailable while the agent stops; else answers `work()`.
template <class Work> auto unless_stopping(agent_pointer self, Work work) -> decltype(work()) {
  if (auto err = refuse_when_stopping(self->state))
    return err;
  if (auto err = refuse_deposed(self))
    return err;
  return work();
}

/// Answers `work()`, or unavailable while the agent stops or its Docker engine is away
/// (engine_outage.hpp).
template <class Result, class Work>
caf::result<Result> when_engine_answers(agent_pointer self, Work work) {
  if (auto err = refuse_when_stopping(self->state))
    return err;
  if (auto err = refuse_deposed(self))
    return err;
  return with_engine<Result>(self, work);
}

/// Rewrites agent.scaling-group in the agent's TOML file (backup first) off the agent's
/// thread, then updates the running config.
caf::result<ack> update_scaling_group(agent_pointer self, const op::update_scaling_group& x) {
  auto path = self->state.settings.config_path;
  auto group = x.scaling_group;
  auto promise = make_guarded_promise<ack>(self);
  run_blocking_then<ack>(
      self,
      [path, group]() -> caf::expected<ack> {
        if (!path.empty())
          if (auto err = baikal::update_scaling_group(path, group))
            return err;
        return ack{};
      },
      [self, group, promise](ack&) mutable {
        log::get("agent")->info("scaling group is now {}", group);
        self->state.settings.scaling_group = group;
        // Before the answer: whoever waits for it may make the link register again next.
        if (self->state.link)
          set_link_scaling_group(self->state.link, group);
        promise.deliver(ack{});
      },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

probe_result check_creating(agent_pointer self, const kernel_id& id) {
  if (self->state.creating.count(id))
    return {true, "kernel " + id + " is being created"};
  return {false, "kernel " + id + " is not being created on this agent"};
}

probe_result check_running(agent_pointer self, const kernel_id& id) {
  auto i = self->state.kernels.find(id);
  if (i == self->state.kernels.end())
    return {false, "kernel " + id + " is not running on this agent"};
  auto& e = i->second;
  auto text = "container " + e.info.container_id;
  if (e.lost)
    return {false, "kernel " + id + " ended: its " + text +
                       " stopped or is gone, and the rest of "
                       "it is being removed"};
  if (e.recovering || !e.handle)
    text += "; its actor failed and is being recovered (" + e.last_failure + ")";
  else if (!e.failures.empty())
    text += "; served again after its actor failed (" + e.last_failure + ")";
  return {true, text};
}

/// The kernel operation `Sig` the agent only hands to the kernel's actor (to_kernel), moved
/// along: an upload can be a GiB.
template <class Sig> struct forwarder;

template <class Op, class Result>
struct forwarder<caf::typed_mpi<caf::detail::type_list<Op>, caf::output_tuple<Result>>> {
  static auto make(agent_pointer self) {
    return [self](Op& x) { return to_kernel<Result>(self, std::move(x)); };
  }
};

template <class... Forwarded>
agent_self_actor::behavior_type handlers(agent_pointer self, caf::detail::type_list<Forwarded...>) {
  return {
      forwarder<Forwarded>::make(self)...,
      // -- agent and registry ------------------------------------------------------------------
      [=](const op::update_scaling_group& x) {
        return unless_stopping(self, [&] { return update_scaling_group(self, x); });
      },
      [=](const op::ping& x) { return x.msg; },
      [=](const op::gather_hwinfo& x) -> caf::result<hardware_info> {
        auto root = self->state.settings.scratch_root;
        return run_blocking<hardware_info>(
            self, [root, gpus = x.with_gpus] { return hwinfo::probe_host(root, gpus); });
      },
      [=](const op::sync_kernel_registry& x) {
        return unless_stopping(self, [&] { return sync_kernel_registry(self, x); });
      },
      [=](const op::shutdown& x) {
        return unless_stopping(self, [&] { return shutdown_agent(self, x); });
      },
      // -- kernels --------------------------------------------------------------------------------
      [=](op::create_kernels& x) {
        return when_engine_answers<created_kernels>(
            self, [&] { return create_kernels(self, std::move(x)); });
      },
      // Not refused while stopping: see to_kernel. One the engine cannot do now is owed.
      [=](const op::destroy_kernel& x) -> caf::result<ack> {
        if (auto err = refuse_deposed(self))
          return err;
        return destroy_kernel(self, x);
      },
      [=](op::restart_kernel& x) {
        return when_engine_answers<kernel_info>(self,
                                                [&] { return restart_kernel(self, std::move(x)); });
      },
      [=](const op::get_logs& x) {
        return with_engine<kernel_logs>(self, [&] { return to_kernel<kernel_logs>(self, x); });
      },
      [=](const op::trigger_batch_execution& x) {
        return unless_stopping(self, [&] { return trigger_batch_execution(self, x); });
      },
      [=](const op::shutdown_service& x) -> caf::result<ack> {
        if (self->state.kernels.count(x.kernel))
          return to_kernel<ack>(self, x);
        // The spec: a service that cannot be shut down is logged, never raised.
        log::get("agent")->warn("unhandled exception while shutting down service app: {}",
                                message_of(unknown_kernel(self->state, x.kernel)));
        return ack{};
      },
      // -- images ---------------------------------------------------------------------------------
      [=](const op::check_and_pull& x) {
        return when_engine_answers<pull_jobs>(
            self, [&]() -> caf::result<pull_jobs> { return check_and_pull(self, x); });
      },
      [=](const op::commit& x) {
        return with_engine<ack>(self, [&] { return to_kernel<ack>(self, x); });
      },
      [=](const op::push_image& x) {
        return when_engine_answers<ack>(self, [&] { return push_image(self, x); });
      },
      [=](op::purge_images& x) {
        return when_engine_answers<purge_images_resp>(
            self, [&] { return purge_images(self, std::move(x.request)); });
      },
      // -- networks -------------------------------------------------------------------------------
      [=](const op::create_local_network& x) {
        return when_engine_answers<ack>(self,
                                        [&] { return create_local_network(self, x.network_name); });
      },
      [=](const op::destroy_local_network& x) -> caf::result<ack> {
        if (auto err = engine_unavailable(self->state)) {
          self->state.networks_owed.insert(x.network_name); // removed once the engine answers
          return err;
        }
        return destroy_local_network(self, x.network_name);
      },
      // -- beyond the spec ------------------------------------------------------------------------
      [=](const op::assign_port&) -> caf::result<assigned_port> {
        if (auto err = refuse_when_stopping(self->state))
          return err;
        auto port = self->state.ports.assign();
        if (!port)
          return std::move(port.error());
        return assigned_port{*port};
      },
      [=](const op::release_port& x) -> caf::result<ack> {
        if (!self->state.ports.release(x.port))
          return make_error(errc::not_found,
                            "port " + std::to_string(x.port) + " was not assigned by this agent");
        return ack{};
      },
      [=](const op::check_pulling& x) {
        auto i = self->state.pulls.find(x.image);
        if (i == self->state.pulls.end())
          return probe_result{false, "no pull of " + x.image + " is running"};
        return probe_result{true, "job " + i->second.job_id};
      },
      [=](const op::check_creating& x) { return check_creating(self, x.kernel); },
      [=](const op::check_running& x) { return check_running(self, x.kernel); },
      // -- the Docker engine (engine_outage.hpp) ------------------------------------------------
      [=](const engine_lost& x) { on_engine_lost(self, x); },
      [=](const engine_answers& x) { on_engine_answers(self, x); },
      [=](const kernel_container_event& x) { on_kernel_container_event(self, x); },
      [=](const reconcile_kernels_tick& x) { reconcile_with_engine(self, x.epoch); },
      [=](const kernel_destroys_itself& x) { on_kernel_destroys_itself(self, x); },
      [=](const warm_pool_tick&) { refill_warm_pools(self); },
  };
}

} // namespace

/// Serves kernels found running at start (a restart after a crash).
void adopt_kernels(agent_pointer self, std::vector<kernel_info> recovered) {
  auto& st = self->state;
  for (auto& info : recovered) {
    for (auto& sp : info.service_ports)
      if (sp.host_ports != sp.container_ports)
        for (auto port : sp.host_ports)
          st.ports.reserve(port);
    serve_kernel(self, info, cluster_info{});
  }
}

agent_self_actor::behavior_type agent_behavior(agent_pointer self, agent_settings settings,
                                               docker_actor docker, event_sink_actor events,
                                               manager_link_actor link,
                                               std::vector<kernel_info> recovered) {
  auto& st = self->state;
  st.ports = port_pool{settings.port_first, settings.port_last};
  st.settings = std::move(settings);
  st.docker = std::move(docker);
  st.events = std::move(events);
  st.link = std::move(link);
  stop_alone_on_exception(self, "agent " + st.settings.id);
  st.blocking =
      spawn_blocking_executor(self->home_system(), st.settings.blocking, "agent " + st.settings.id);
  self->link_to(st.blocking); // they end together: see agent.hpp
  self->set_down_handler([=](caf::down_msg& dm) { on_down(self, dm); });
  st.warm = warm_pool{st.settings.warm_pools};
  adopt_kernels(self, std::move(recovered));
  persist_registry(self);
  sweep_kernel_fences(self);
  if (self->state.docker)
    spawn_engine_watch(self->home_system(), engine_watch_settings{self->state.settings.id},
                       self->state.docker, caf::actor_cast<engine_observer_actor>(self));
  refill_warm_pools(self);
  return handlers(self, kernel_forwarded_actor::signatures{});
}

void configure_agent_scheduler(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("sharing"));
}

agent_actor spawn_agent(caf::actor_system& sys, agent_settings settings, docker_actor docker,
                        event_sink_actor events, std::vector<kernel_info> recovered) {
  return sys.spawn(agent_behavior, std::move(settings), std::move(docker), std::move(events),
                   manager_link_actor{}, std::move(recovered));
}

agent_actor spawn_agent(caf::actor_system& sys, agent_settings settings, docker_actor docker,
                        const manager_link_actor& link, std::vector<kernel_info> recovered) {
  return sys.spawn(agent_behavior, std::move(settings), std::move(docker),
                   caf::actor_cast<event_sink_actor>(link), link, std::move(recovered));
}

} // namespace baikal
