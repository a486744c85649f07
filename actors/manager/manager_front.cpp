#include "actors/manager/manager_front.hpp"

#include <algorithm>

#include <caf/send.hpp>

#include "actors/manager/front_agents.hpp"
#include "actors/manager/front_folders.hpp"
#include "actors/manager/front_idle.hpp"
#include "actors/manager/front_parking.hpp"
#include "actors/manager/front_placement.hpp"
#include "actors/manager/front_sessions.hpp"
#include "actors/manager/manager_front_state.hpp"
#include "actors/manager/session_ticker.hpp"
#include "actors/supervision/blocking_executor.hpp"
#include "actors/supervision/end_together.hpp"

namespace baikal {

namespace {

using namespace front_steps;

// -- set-up ---------------------------------------------------------------------------------------

/// If `who` was the actor of a live session, its session forgets it.
void forget_crashed_session(front_ptr self, const caf::actor_addr& who, const caf::error& why) {
  if (auto* entry = self->state.sessions.run_by(who)) {
    self->state.log->error("the actor of session {} ended: {}", entry->first, caf::to_string(why));
    entry->second.actor = nullptr;
    self->state.parking.forget(entry->first, entry->second);
  }
}

/// The session actors are monitored, not linked (see spawn_session): they are stopped here.
void stop_sessions(front_ptr self, const caf::error& reason) {
  for (auto& entry : self->state.sessions)
    if (entry.second.actor)
      self->send_exit(entry.second.actor, reason);
}

/// Linked on purpose, unlike everything else in the manager: the manager cannot serve without
/// any of the store, launcher, hub and registry, nor without the ticker that fires the
/// sessions' timers (no phase would ever time out), so these six end together and
/// baikal-manager, which watches the front, exits to be started again. Sessions and launcher's
/// helpers are monitored: their failures stay theirs; the sessions are stopped with the front, or
/// they would outlive a front that failed (and hold the actor system up).
void supervise(front_ptr self) {
  auto& d = self->state.deps;
  auto ticker = spawn_session_ticker(self->home_system(), self->state.ctx->timers);
  self->attach_functor([ticker] { caf::anon_send_exit(ticker, caf::exit_reason::user_shutdown); });
  end_together(
      self, "the manager front", [self](const caf::error& err) { stop_sessions(self, err); },
      d.store, d.launcher, d.hub, d.registry, ticker);
  // Session actors end normally once their session ended (and told the front so), or parked;
  // an abnormal end is logged and the session keeps its last status.
  self->set_down_handler([self](caf::down_msg& msg) {
    if (msg.reason != caf::exit_reason::normal)
      forget_crashed_session(self, msg.source, msg.reason);
  });
}

manager_front_actor::behavior_type manager_front(front_ptr self, manager_settings settings,
                                                 front_deps deps) {
  auto& st = self->state;
  // spawn_manager refused an unknown policy already.
  auto policy = sched::policy_from(settings.scheduling_policy);
  st.book = placement_book{policy ? *policy : sched::policy::concentrated,
                           static_cast<size_t>(std::max(settings.max_starting, 1))};
  auto ctx =
      make_session_context(settings, self, deps.store, deps.launcher, deps.hub, deps.registry);
  ctx.census = st.metrics.sessions;
  st.ctx = std::make_shared<const session_context>(std::move(ctx));
  st.agents = agent_mirror{settings.quarantine};
  st.images = image_cache{settings.images};
  st.settings = std::move(settings);
  for (auto& f : deps.folders)
    st.folders.add(f.owner, f.name);
  st.blocking =
      spawn_blocking_executor(self->home_system(), blocking_limits{2, 1, 100}, "the manager front");
  self->attach_functor(
      [blocking = st.blocking] { caf::anon_send_exit(blocking, caf::exit_reason::user_shutdown); });
  auto recovered = std::move(deps.recovered);
  for (auto& agent : deps.drained)
    st.agents.set_drained(agent, true, st.book.slots());
  st.metrics.drained_agents = static_cast<int64_t>(st.agents.drained_count());
  st.deps = std::move(deps);
  supervise(self);
  for (auto& rec : recovered) {
    auto images = st.images.of_session(rec.spec);
    add_session(self, std::move(rec), std::move(images));
  }
  return {
      [self](api::create_session& x) { return create_session(self, x); },
      [self](const api::list_sessions& x) -> caf::result<std::vector<session_record>> {
        return self->delegate(self->state.deps.store, repo::list_sessions_of{x.owner, x.page});
      },
      [self](const api::get_session& x) { return get_session(self, x); },
      [self](const api::get_session_history& x) { return get_session_history(self, x); },
      [self](const api::terminate_session& x) { return terminate_session(self, x); },
      [self](const api::main_kernel& x) { return main_kernel(self, x); },
      [self](const api::restart_session& x) { return restart_session(self, x); },
      [self](const api::list_agents&) { return list_agents(self); },
      [self](const api::agent_handle& x) -> caf::result<agent_actor> {
        return self->state.agents.handle_of(x.agent);
      },
      [self](const api::set_agent_drain& x) { return set_agent_drain(self, x); },
      [self](api::subscribe_events& x) -> caf::result<ack> {
        return self->delegate(self->state.deps.hub, std::move(x));
      },
      [self](api::follow_events& x) -> caf::result<event_replay> {
        return self->delegate(self->state.deps.hub, std::move(x));
      },
      [self](const api::get_metrics&) {
        auto& state = self->state;
        return render_prometheus(state.metrics, *state.deps.counters,
                                 state.agents.quarantine().held_agents(clock::now()));
      },
      [](const api::check_ready&) { return ack{}; },
      [self](const api::create_folder& x) { return front_folders::create(self, x); },
      [self](const api::list_folders& x) { return front_folders::list(self, x); },
      [self](const api::delete_folder& x) { return front_folders::remove(self, x); },
      [self](front::agent_changed& x) { agent_changed(self, x); },
      [self](const front::session_changed& x) { session_changed(self, x); },
      [self](front::insert_pass) { insert_pass(self); },
      [self](front::schedule_pass) {
        self->state.pass_queued = false;
        schedule_pending(self);
      },
      [self](const front::kernels_on_agent& x) { return self->state.book.kernels_on(x.agent); },
      [self](const front::session_idle& x) { session_idle(self, x.session); },
      [self](const front::session_asleep& x) { session_asleep(self, x.session); },
      [self](const front::launch_failed& x) { launch_failed(self, x); },
      [self](front::place_again& x) { place_again(self, x); },
      [self](front::quarantine_tick) { quarantine_tick(self); },
      [self](const front::idle_check& x) { idle_check(self, x.session); },
      [self](const kernel_started_event& e) { kernel_event(self, e); },
      [self](const kernel_terminated_event& e) { kernel_event(self, e); },
      [self](const batch_result_event& e) { kernel_event(self, e); },
      [self](const api::batch_output& x) { return batch_output(self, x); },
  };
}

} // namespace

manager_front_actor spawn_manager_front(caf::actor_system& sys, manager_settings settings,
                                        front_deps deps) {
  return sys.spawn(manager_front, std::move(settings), std::move(deps));
}

} // namespace baikal
