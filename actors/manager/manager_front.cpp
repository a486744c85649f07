#include "actors/manager/manager_front.hpp"

#include <algorithm>
#include <chrono>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/agent_mirror.hpp"
#include "actors/manager/front_folders.hpp"
#include "actors/manager/idle_clock.hpp"
#include "actors/manager/image_cache.hpp"
#include "actors/manager/parking_lot.hpp"
#include "actors/manager/placement_book.hpp"
#include "actors/manager/session.hpp"
#include "actors/manager/session_request.hpp"
#include "actors/manager/session_table.hpp"
#include "actors/supervision/end_together.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using clock = std::chrono::steady_clock;
using presence = parking_lot::presence;

struct front_state {
  manager_settings settings;
  front_deps deps;
  std::shared_ptr<const session_context> ctx;
  session_table sessions;
  placement_book book{sched::policy::concentrated, 1};
  parking_lot parking;
  agent_mirror agents;
  bool pass_queued = false; ///< a scheduling pass is on its way through the mailbox
  image_cache images;
  manager_metrics metrics;
  folder_book folders; ///< storage folders (front_folders.hpp)
  caf::actor blocking; ///< the executor that makes and removes folders' directories
  std::shared_ptr<spdlog::logger> log = log::get("manager");
  static inline const char* name = "manager_front";
};

using front_ptr = manager_front_actor::stateful_pointer<front_state>;

// -- placements (placement_book.hpp) and the agents' quarantine (agent_mirror.hpp) ---------------

/// Runs a pass once the messages already in the mailbox are handled: the sessions created in
/// the meantime are placed together.
void queue_pass(front_ptr self) {
  if (self->state.pass_queued)
    return;
  self->state.pass_queued = true;
  self->send(self, front::schedule_pass{});
}

/// One quarantine_tick out for the earliest back-off end; another when an earlier one comes.
void arm_quarantine_tick(front_ptr self) {
  auto delay = self->state.agents.tick_needed(clock::now());
  if (!delay)
    return;
  self->delayed_send(self,
                     std::chrono::duration_cast<std::chrono::milliseconds>(*delay) +
                         std::chrono::milliseconds{1},
                     front::quarantine_tick{});
}

/// Places the PENDING sessions in arrival order (placement_book.hpp).
void schedule_pending(front_ptr self) {
  auto& st = self->state;
  placement_book::pass_hooks hooks;
  hooks.waiting = [&st](const session_id& id) { return st.sessions.waiting(id); };
  hooks.suspects = [&st] { return st.agents.quarantine().suspects(); };
  hooks.explain = [&st](const std::string& r) { return st.agents.with_quarantine_note(r); };
  hooks.bound = [self, &st](session_entry& e, const sched::placement& p) {
    auto now = clock::now();
    for (auto& agent : p.agents)
      if (st.agents.placed(agent, st.book.slots(), now))
        arm_quarantine_tick(self);
    self->send(e.actor, sess::bound{e.spec});
  };
  hooks.still_pending = [self](session_entry& e, const std::string& reason) {
    self->send(e.actor, sess::still_pending{reason});
  };
  st.book.pass(hooks);
}

void launch_failed(front_ptr self, const front::launch_failed& x) {
  auto& st = self->state;
  st.metrics.quarantines += st.agents.launch_failed(x, st.book.slots(), clock::now());
  arm_quarantine_tick(self);
}

void quarantine_tick(front_ptr self) {
  auto& st = self->state;
  auto now = clock::now();
  if (st.agents.tick_arrived(st.book.slots(), now))
    queue_pass(self);
  arm_quarantine_tick(self);
}

/// The session's start failed on `x.avoid` and it is PENDING again: ahead of the others.
void place_again(front_ptr self, front::place_again& x) {
  auto& st = self->state;
  auto* e = st.sessions.find(x.session);
  // Ended or ending meanwhile (the session told the front PENDING before this).
  if (!e || !e->spec || !e->actor || e->status != session_status::pending)
    return;
  st.book.place_again(x.session, *e, std::move(x.avoid));
  ++st.metrics.launch_retries;
  queue_pass(self);
}

// -- idle reaping (idle_clock.hpp) ---------------------------------------------------------------

void arm_idle_check(front_ptr self, const session_id& id, session_entry& e, clock::duration after) {
  if (e.idle_check_out)
    return;
  e.idle_check_out = true;
  self->delayed_send(self, std::chrono::duration_cast<std::chrono::microseconds>(after),
                     front::idle_check{id});
}

/// The session runs from now (or runs still, after a manager restart: the last activity is not
/// stored, so the clock starts again from the restart).
void start_idle_clock(front_ptr self, const session_id& id, session_entry& e) {
  if (!e.spec || e.spec->idle_timeout <= 0)
    return;
  e.last_activity = clock::now();
  arm_idle_check(self, id, e, idle_limit(e.spec->idle_timeout));
}

void deliver(front_ptr self, const session_id& id, session_entry& e, caf::message m);

void idle_check(front_ptr self, const session_id& id) {
  auto* e = self->state.sessions.find(id);
  if (!e)
    return;
  e->idle_check_out = false;
  if (e->status != session_status::running || !e->spec)
    return;
  auto next = decide_idle(e->spec->idle_timeout, e->last_activity, clock::now());
  if (next.outcome == idle_outcome::early)
    return arm_idle_check(self, id, *e, next.rearm_after);
  if (next.outcome != idle_outcome::expired)
    return;
  self->state.log->info("session {}: {}", id, idle_reason(e->spec->idle_timeout));
  // A parked session is woken for it, like for a user's termination.
  deliver(self, id, *e,
          caf::make_message(
              sess::terminate{idle_reason(e->spec->idle_timeout), lifecycle_reason::idle_timeout}));
}

// -- sessions -------------------------------------------------------------------------------------

/// Takes on a session: a live one gets its actor and waits for a placement or holds its slots.
void add_session(front_ptr self, session_record rec, shared_images images) {
  auto& st = self->state;
  auto id = rec.spec.id;
  auto& e = st.sessions.add(rec);
  st.metrics.session_moved(caf::none, rec.status);
  if (!e.spec)
    return;
  st.book.add(id, e);
  if (rec.status == session_status::running)
    start_idle_clock(self, id, e);
  e.actor = spawn_session(self, st.ctx, e.spec, std::move(rec), std::move(images));
}

caf::result<session_id> create_session(front_ptr self, api::create_session& x) {
  auto& st = self->state;
  if (!x.request.idle_timeout)
    x.request.idle_timeout = static_cast<double>(st.settings.default_idle_timeout.count());
  if (auto err = validate(x.request))
    return err;
  if (auto err = check_slots_offered(x.request.resources, st.agents.offered_slots()))
    return err;
  auto mounts =
      resolve_mounts(x.request.mounts, st.folders, st.settings.storage_root, x.request.owner);
  if (!mounts)
    return std::move(mounts.error());
  auto image = st.images.resolve(x.request.image);
  auto spec = make_session(x.request, image, st.settings.default_scaling_group);
  spec.mounts = std::move(*mounts);
  // Waiting could not help such a session: it is refused now, with the reason.
  if (auto why = st.book.never_fits(spec); !why.empty())
    return make_error(errc::invalid_argument, "resources: " + why);
  // Until the session is in the table, where deleting a folder looks for its users.
  st.folders.pin(spec.user_uuid, x.request.mounts);
  auto unpin = [self, owner = spec.user_uuid, used = x.request.mounts] {
    self->state.folders.unpin(owner, used);
  };
  auto rp = make_guarded_promise<session_id>(self);
  const std::string reason = "waiting to be scheduled";
  // No request timeout: the store is linked to the front, so it answers or the front ends too.
  self->request(st.deps.store, caf::infinite,
                repo::insert_session{spec, session_status::pending, reason})
      .then(
          [self, rp, spec, image, unpin](ack) mutable {
            unpin();
            auto id = spec.id;
            session_record rec;
            rec.spec = std::move(spec);
            rec.status = session_status::pending;
            add_session(self, std::move(rec), self->state.images.of_image(image));
            queue_pass(self);
            rp.deliver(std::move(id));
          },
          [rp, unpin](caf::error& err) mutable {
            unpin();
            rp.deliver(std::move(err));
          });
  return rp;
}

caf::result<session_record> get_session(front_ptr self, const api::get_session& x) {
  if (!self->state.sessions.owned(x.owner, x.session))
    return no_session(x.session);
  return self->delegate(self->state.deps.store, repo::get_session{x.session});
}

caf::result<std::vector<status_change>> get_session_history(front_ptr self,
                                                            const api::get_session_history& x) {
  if (!self->state.sessions.owned(x.owner, x.session))
    return no_session(x.session);
  return self->delegate(self->state.deps.store, repo::get_status_history{x.session});
}

// -- parked sessions (parking_lot.hpp) ------------------------------------------------------------

void send_to(const session_entry& e, caf::message m) {
  caf::anon_send(caf::actor_cast<caf::actor>(e.actor), std::move(m));
}

/// The session runs in its actor again: it gets what was held for it meanwhile.
void hand_over_held(front_ptr self, const session_id& id, const session_entry& e) {
  for (auto& m : self->state.parking.wake(id))
    send_to(e, std::move(m));
}

/// Spawns the actor of a parked session again (see woken_record) with what came meanwhile.
void wake(front_ptr self, const session_id& id, session_entry& e) {
  auto& st = self->state;
  e.actor = spawn_session(self, st.ctx, e.spec, woken_record(*e.spec, e.status),
                          st.images.of_session(*e.spec), st.parking.wake(id));
  --st.metrics.parked_sessions;
  st.log->debug("session {} wakes", id);
}

/// Something for a live session that may be parked or parking: to its actor, held, or held
/// and the actor spawned again.
void deliver(front_ptr self, const session_id& id, session_entry& e, caf::message m) {
  if (self->state.parking.where(id) == presence::live) {
    if (e.actor)
      send_to(e, std::move(m));
  } else if (self->state.parking.hold(id, std::move(m))) {
    wake(self, id, e);
  }
}

/// The session's actor asks to park; the hub stops routing to it first (see session.hpp).
void session_idle(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || st.parking.where(id) != presence::live || e->status != session_status::running ||
      !e->actor)
    return;
  st.parking.doze(id);
  self->send(st.deps.hub, hub::detach_session{id, e->actor});
}

void session_asleep(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto* e = st.sessions.find(id);
  if (!e || st.parking.where(id) != presence::dozing)
    return;
  e->actor = nullptr;
  ++st.metrics.parked_sessions;
  if (st.parking.fall_asleep(id))
    wake(self, id, *e);
}

/// A kernel event the hub had no route for: the session may be parked.
template <class Event> void kernel_event(front_ptr self, const Event& ev) {
  auto* e = self->state.sessions.find(ev.header.session);
  if (!e || is_terminal(e->status) || !e->spec)
    return;
  deliver(self, ev.header.session, *e, caf::make_message(ev));
}

/// The stored output of an ended batch session: its kernels, and their logs, are gone.
caf::result<batch_output_answer> batch_output(front_ptr self, const api::batch_output& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (!is_terminal(e->status))
    return batch_output_answer{};
  auto rp = make_guarded_promise<batch_output_answer>(self);
  self->request(self->state.deps.store, caf::infinite, repo::get_batch_output{x.session})
      .then(
          [rp](std::string& out) mutable {
            rp.deliver(batch_output_answer{true, std::move(out)});
          },
          [rp](caf::error& err) mutable {
            if (code_of(err) == errc::not_found)
              rp.deliver(batch_output_answer{});
            else
              rp.deliver(std::move(err));
          });
  return rp;
}

caf::result<ack> terminate_session(front_ptr self, const api::terminate_session& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (is_terminal(e->status) || !e->spec)
    return ack{};
  if (self->state.parking.where(x.session) == presence::live) {
    if (!e->actor)
      return ack{};
    return self->delegate(e->actor, sess::terminate{"terminated by the user"});
  }
  // The actor answers as soon as the termination has begun: answer the same, now.
  deliver(self, x.session, *e, caf::make_message(sess::terminate{"terminated by the user"}));
  return ack{};
}

caf::result<kernel_info> restart_session(front_ptr self, const api::restart_session& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (e->status != session_status::running || !e->spec)
    return make_error(errc::conflict, "session " + x.session + " is " + to_string(e->status) +
                                          "; only a RUNNING session's kernel can be restarted");
  e->last_activity = clock::now();
  if (self->state.parking.where(x.session) == presence::parked)
    wake(self, x.session, *e);
  if (!e->actor)
    return make_error(errc::unavailable, "session " + x.session + " is being parked; try again");
  // A dozing actor takes it too: it stays awake and tells the front so.
  return self->delegate(e->actor, sess::restart_main_kernel{});
}

caf::result<kernel_route> main_kernel(front_ptr self, const api::main_kernel& x) {
  auto* e = self->state.sessions.owned(x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (e->status != session_status::running)
    return make_error(errc::invalid_argument,
                      "session " + x.session + " is " + to_string(e->status) + ", not RUNNING");
  if (x.activity)
    e->last_activity = clock::now(); // idle_check reads it when the deadline comes
  return self->state.agents.main_kernel_of(*e->spec);
}

void session_changed(front_ptr self, const front::session_changed& x) {
  auto& st = self->state;
  auto* e = st.sessions.find(x.session);
  if (!e)
    return;
  // Its dozing actor moved on (an event came before it could park): it keeps the session.
  if (st.parking.where(x.session) == presence::dozing)
    hand_over_held(self, x.session, *e);
  st.metrics.session_moved(e->status, x.status);
  if (x.status == session_status::running && e->status != session_status::running) {
    st.metrics.launch_latency.observe(
        std::chrono::duration<double>(clock::now() - e->created).count());
    if (e->spec && st.agents.launch_succeeded(*e->spec, st.book.slots()))
      queue_pass(self);
    start_idle_clock(self, x.session, *e);
  }
  e->status = x.status;
  bool may_place = st.book.moved(*e);
  if (is_terminal(x.status))
    forget_ended(*e); // its id may still be in the book's queue: a pass skips it there
  if (may_place)
    queue_pass(self);
}

// -- agents ---------------------------------------------------------------------------------------

void agent_changed(front_ptr self, front::agent_changed& x) {
  auto& st = self->state;
  if (st.agents.update(std::move(x.record), std::move(x.handle), st.book.slots(), st.metrics))
    queue_pass(self);
}

/// The registry has the agents' last heartbeats (it tells the front only about changes); the
/// front adds what its sessions use of each.
caf::result<std::vector<agent_view>> list_agents(front_ptr self) {
  auto rp = make_guarded_promise<std::vector<agent_view>>(self);
  self->request(self->state.deps.registry, self->state.settings.timeouts.internal_call,
                reg::list_agent_records{})
      .then(
          [self, rp](std::vector<agent_record>& records) mutable {
            auto& st = self->state;
            rp.deliver(st.agents.views(std::move(records), st.book.slots(), clock::now()));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// Stores the drain, then applies it: a drain answered is one a restart keeps.
void store_drain(front_ptr self, const api::set_agent_drain& x, guarded_promise<ack> rp) {
  self->request(self->state.deps.store, caf::infinite,
                repo::set_agent_drained{x.agent, x.drained, x.by})
      .then(
          [self, rp, x](ack) mutable {
            auto& st = self->state;
            st.agents.set_drained(x.agent, x.drained, st.book.slots());
            st.metrics.drained_agents = static_cast<int64_t>(st.agents.drained_count());
            st.log->info("agent {} {} by {}: {}", x.agent, x.drained ? "drained" : "undrained",
                         x.by,
                         x.drained ? "it gets no new kernels, its running ones stay"
                                   : "it takes new kernels again");
            // Waiting sessions are placed (undrain) or told the drain is why they wait.
            queue_pass(self);
            rp.deliver(ack{});
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

caf::result<ack> set_agent_drain(front_ptr self, const api::set_agent_drain& x) {
  auto& st = self->state;
  auto rp = make_guarded_promise<ack>(self);
  if (st.agents.find(x.agent) || st.agents.drained(x.agent)) {
    store_drain(self, x, rp);
    return rp;
  }
  // The registry also lists the agents the store knows that did not come back since a restart
  // (it tells the front about changes only).
  self->request(st.deps.registry, st.settings.timeouts.internal_call, reg::list_agent_records{})
      .then(
          [self, rp, x](std::vector<agent_record>& records) mutable {
            auto known = std::any_of(records.begin(), records.end(),
                                     [&](const agent_record& r) { return r.id == x.agent; });
            if (known)
              return store_drain(self, x, rp);
            rp.deliver(make_error(errc::not_found,
                                  "no agent " + x.agent + " (GET /v1/agents lists the agents)"));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

// -- set-up ---------------------------------------------------------------------------------------

/// If `who` was the actor of a live session, its session forgets it.
void forget_crashed_session(front_ptr self, const caf::actor_addr& who, const caf::error& why) {
  if (auto* entry = self->state.sessions.run_by(who)) {
    self->state.log->error("the actor of session {} ended: {}", entry->first, caf::to_string(why));
    entry->second.actor = nullptr;
    self->state.parking.forget(entry->first);
  }
}

/// The session actors are monitored, not linked (see spawn_session): they are stopped here.
void stop_sessions(front_ptr self, const caf::error& reason) {
  for (auto& entry : self->state.sessions)
    if (entry.second.actor)
      self->send_exit(entry.second.actor, reason);
}

/// Linked on purpose, unlike everything else in the manager: the manager cannot serve without
/// any of the store, launcher, hub and registry, so these five end together and baikal-manager,
/// which watches the front, exits to be started again. Sessions and launcher's helpers are
/// monitored: their failures stay theirs; the sessions are stopped with the front, or they would
/// outlive a front that failed (and hold the actor system up).
void supervise(front_ptr self) {
  auto& d = self->state.deps;
  end_together(
      self, "the manager front", [self](const caf::error& err) { stop_sessions(self, err); },
      d.store, d.launcher, d.hub, d.registry);
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
  st.ctx = std::make_shared<const session_context>(
      make_session_context(settings, self, deps.store, deps.launcher, deps.hub, deps.registry));
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
