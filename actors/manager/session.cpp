#include "actors/manager/session_state.hpp"

#include <algorithm>

#include <caf/send.hpp>

#include "actors/manager/event_hub.hpp"
#include "actors/manager/keygen_gauge.hpp"
#include "actors/manager/launch_plan.hpp"
#include "actors/manager/session_timing.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"

namespace baikal {

namespace {

bool waits_for_pulls(session_status s) {
  return s == session_status::preparing || s == session_status::pulling;
}

void attach_to_hub(session_ptr self) {
  auto& st = self->state;
  std::vector<std::string> pulls{st.pending_pulls.begin(), st.pending_pulls.end()};
  self->send(st.ctx->hub, hub::attach_session{st.spec().id, self, std::move(pulls)});
}

// -- pulling ------------------------------------------------------------------------------------

void start_pulling(session_ptr self, const std::string& reason) {
  auto& st = self->state;
  st.start_clock = std::chrono::steady_clock::now();
  st.pending_pulls.clear();
  st.pulls_resent = false;
  for (auto& k : st.spec().kernels)
    st.pending_pulls.insert(pull_key(k.agent, k.image));
  // Attached before the pull is triggered: the hub then sees the attachment before any event.
  attach_to_hub(self);
  move_to(self, session_status::preparing, reason);
  // Not awaited: the launcher logs what fails on an agent, and the pull events (or the phase
  // timer's probe when they do not come) tell the session what happened.
  caf::anon_send(st.ctx->launcher, op::trigger_image_pulling{{st.spec()}, *st.images});
}

void on_pull_event(session_ptr self, const image_pull_event& e) {
  auto& st = self->state;
  if (!waits_for_pulls(st.status) || !st.pending_pulls.count(pull_key(e.agent, e.image)))
    return;
  switch (e.what) {
  case image_pull_event::phase::started:
  case image_pull_event::phase::progress:
    if (st.status == session_status::preparing)
      move_to(self, session_status::pulling, "pulling " + e.image + " on agent " + e.agent);
    else
      touch(self);
    return;
  case image_pull_event::phase::failed:
    return fail(self, "pulling " + e.image + " on agent " + e.agent + " failed: " + e.message,
                e.agent);
  case image_pull_event::phase::finished:
    st.pending_pulls.erase(pull_key(e.agent, e.image));
    if (st.pending_pulls.empty())
      return images_ready(self, "every image is ready on its agent (" + e.message + ")");
    touch(self);
    return;
  }
}

// -- creating -----------------------------------------------------------------------------------

/// Keeps the network the launcher recorded: a re-sent create_kernels attaches to it.
void remember_network(session_ptr self) {
  self->request(self->state.ctx->store, self->state.ctx->timeouts.store_call,
                repo::get_session{self->state.spec().id})
      .then([self](session_record& rec) { self->state.network_id = rec.network_id; },
            [](caf::error&) {});
}

void on_start_report(session_ptr self, caf::expected<start_sessions_report> report) {
  auto& st = self->state;
  st.start_outstanding = false;
  const session_start_outcome* outcome = nullptr;
  if (report)
    for (auto& o : report->outcomes)
      if (o.session == st.spec().id)
        outcome = &o;
  if (outcome)
    report_start(self, *outcome);
  caf::error err;
  if (!report)
    err = report.error();
  else if (outcome && !outcome->error.empty())
    // A start past the launcher's deadline is a timeout, not an agent's error.
    err = make_error(outcome->error == to_string(errc::timeout) ? errc::timeout : errc::agent_error,
                     outcome->message);
  // Terminated or failed while the start was under way: clean up now.
  if (st.status == session_status::terminating || st.status == session_status::error)
    return continue_termination(self);
  if (st.status == session_status::running) // RUNNING by events first: may park from now on
    return touch(self);
  if (st.status != session_status::creating)
    return;
  if (err) {
    if (may_place_again(self, outcome))
      return place_again(self, outcome->failures);
    return start_failed(self, err, outcome, static_cast<bool>(report));
  }
  st.start_succeeded = true;
  if (launch::plan_network(st.spec()) == launch::network_kind::plugin)
    remember_network(self);
  if (st.started_count == st.spec().kernels.size())
    return all_started(self, "every kernel started");
  // The agents answered create_kernels, so the kernels run. Their events are usually on the
  // way: probing at once (once for a quarter of sessions in a burst) cost more than the events
  // it stood in for. A short grace, then the probe confirms what the events have not.
  st.ctx->timers->arm(session_clock::now() + st.ctx->started_events_grace,
                      caf::weak_actor_ptr{self->ctrl()}, session_timer_kind::started_events);
}

void on_started_events_due(session_ptr self) {
  if (self->state.status == session_status::creating)
    probe_creation(self);
}

void start_creating(session_ptr self) {
  auto& st = self->state;
  move_to(self, session_status::creating, creating_kernels_info(st.spec().kernels.size()));
  st.start_outstanding = true;
  // No request timeout: the launcher answers its own deadline, and the phase timer ends the
  // session after session_start_timeout even if that answer never comes.
  self->request(
          st.ctx->launcher, caf::infinite,
          op::start_sessions{{st.spec()}, *st.images, caf::actor_cast<start_progress_sink>(self)})
      .then([self](start_sessions_report& r) { on_start_report(self, std::move(r)); },
            [self](caf::error& err) { on_start_report(self, std::move(err)); });
}

/// One phase_timeout message is out at a time: arming again while it is only moves the due
/// time. A message per event would keep one timer per event in CAF's clock until it fires.
void arm_phase_timer(session_ptr self, std::chrono::steady_clock::duration delay) {
  auto& st = self->state;
  if (st.timer_out)
    return;
  st.timer_out = true;
  st.ctx->timers->arm(session_clock::now() + delay, caf::weak_actor_ptr{self->ctrl()},
                      session_timer_kind::phase);
}

/// Nothing is under way: ask the front to park (see session.hpp). The launcher's answer to a
/// start still out re-arms the timer.
void park(session_ptr self) {
  auto& st = self->state;
  if (st.start_outstanding || st.restarts_outstanding > 0 || st.dozing)
    return;
  st.dozing = true;
  self->send(st.ctx->front, front::session_idle{st.spec().id});
}

/// The hub routes the session's events to the front now. Still idle: end (the front spawns the
/// actor again when needed); woken by one of the events before this: take the route back.
void on_sleep(session_ptr self) {
  auto& st = self->state;
  if (st.dozing && st.status == session_status::running) {
    st.log->debug("session {} parks", st.spec().id);
    self->send(st.ctx->front, front::session_asleep{st.spec().id});
    return self->quit();
  }
  st.dozing = false;
  attach_to_hub(self);
}

void on_timeout(session_ptr self) {
  auto& st = self->state;
  st.timer_out = false;
  auto next = decide_phase_timer(st.status, st.phase_due, st.start_clock, session_clock::now(),
                                 st.ctx->session_start_timeout);
  if (next.outcome == phase_timer_outcome::untimed)
    return;
  if (next.outcome == phase_timer_outcome::early) // an event came since the timer was armed
    return arm_phase_timer(self, next.rearm_after);
  st.phase_due = {};
  if (next.outcome == phase_timer_outcome::park)
    return park(self);
  if (next.outcome == phase_timer_outcome::start_timed_out) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(st.ctx->session_start_timeout);
    return fail(self,
                "the session did not start within " + std::to_string(seconds.count()) +
                    " s (last status " + to_string(st.status) + ")",
                {}, true, errc::timeout);
  }
  if (waits_for_pulls(st.status))
    return probe_pulls(self);
  if (st.status == session_status::creating)
    return probe_creation(self);
  if (st.status == session_status::terminating && st.start_outstanding) {
    st.log->warn("session {}: the launcher has not answered; destroying its kernels anyway",
                 st.spec().id);
    st.start_outstanding = false;
    return continue_termination(self);
  }
}

void on_bound(session_ptr self, sess::bound& x) {
  auto& st = self->state;
  if (st.status != session_status::pending)
    return;
  one_store_write write{self};
  st.spec_ptr = std::move(x.spec);
  st.held_bind = st.spec_ptr;
  auto agents = agents_of(st.spec());
  std::string names;
  for (auto& a : agents)
    names += (names.empty() ? "" : ", ") + a;
  move_to(self, session_status::scheduled, "kernels bound to agent(s) " + names);
  start_pulling(self, "image pulling triggered on " + std::to_string(agents.size()) + " agent(s)");
}

/// The launcher's word on a start under way (it waits for the keypair, it creates the
/// kernels): a new reason within CREATING, as still_pending gives one within PENDING.
void on_start_progress(session_ptr self, const start_progress& x) {
  auto& st = self->state;
  if (st.status != session_status::creating || !st.start_outstanding || x.session != st.spec().id)
    return;
  move_to(self, session_status::creating, x.status_info);
}

void on_still_pending(session_ptr self, const std::string& reason) {
  auto& st = self->state;
  if (st.status != session_status::pending || reason == st.pending_reason)
    return;
  st.pending_reason = reason;
  move_to(self, session_status::pending, reason);
}

/// How soon a session resumed while its kernels were being created asks the agents about them.
constexpr std::chrono::seconds resumed_probe_after{5};

/// Picks up a session recovered from the store where it was.
void resume(session_ptr self, const session_record& rec) {
  auto& st = self->state;
  for (auto& k : rec.kernels)
    if (k.status == kernel_status::running)
      st.mark_started(k.id);
  attach_to_hub(self);
  switch (st.status) {
  case session_status::pending:
    return; // the front schedules it
  case session_status::running:
    return touch(self); // the agent's reconciliation checks it; it parks when idle
  case session_status::scheduled:
  case session_status::preparing:
  case session_status::pulling:
  case session_status::prepared:
    return start_pulling(self, "resumed after a manager restart");
  case session_status::creating: {
    // The start may or may not have reached the agents, and what they answered or reported
    // may have gone to the manager that was: the probes find out, soon (once the agents had
    // time to join this manager) rather than a whole phase_probe_after from now.
    st.start_clock = std::chrono::steady_clock::now();
    st.start_succeeded = true;
    auto soon = std::min<session_clock::duration>(st.ctx->phase_probe_after, resumed_probe_after);
    st.phase_due = session_clock::now() + soon;
    return arm_phase_timer(self, soon);
  }
  case session_status::terminating:
    st.termination_reason = "terminated after a manager restart";
    return continue_termination(self);
  case session_status::terminated:
  case session_status::error:
    self->quit();
    return;
  }
}

session_actor::behavior_type session(session_ptr self, std::shared_ptr<const session_context> ctx,
                                     shared_spec spec, session_record rec, shared_images images,
                                     std::vector<caf::message> held) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.spec_ptr = std::move(spec);
  st.network_id = rec.network_id;
  st.images = std::move(images);
  st.status = rec.status;
  st.start_clock = std::chrono::steady_clock::now();
  // The front monitors it: a failed session actor is forgotten there, the session keeps its
  // last status, and nothing else stops.
  stop_alone_on_exception(self, [self] { return "the actor of session " + self->state.spec().id; });
  // Into the mailbox before resume() attaches to the hub (see spawn_session).
  for (auto& m : held)
    caf::anon_send(caf::actor_cast<caf::actor>(self), std::move(m));
  resume(self, rec);
  return {
      [self](const kernel_preparing_event&) { touch(self); },
      [self](const kernel_pulling_event&) { touch(self); },
      [self](const kernel_creating_event&) { touch(self); },
      [self](const kernel_started_event& e) { on_started(self, e); },
      [self](const kernel_terminated_event& e) { on_terminated(self, e); },
      [self](const image_pull_event& e) { on_pull_event(self, e); },
      [self](sess::bound& x) { on_bound(self, x); },
      [self](const sess::still_pending& x) { on_still_pending(self, x.reason); },
      [self](const sess::terminate& x) {
        begin_termination(self, x.reason, x.why);
        return ack{};
      },
      [self](sess::restart_main_kernel) { return restart_main_kernel(self); },
      [self](sess::phase_timeout) { on_timeout(self); },
      [self](sess::sleep) { on_sleep(self); },
      [self](sess::started_events_due) { on_started_events_due(self); },
      [self](const batch_result_event& e) { on_batch_result(self, e); },
      [self](const start_progress& x) { on_start_progress(self, x); },
  };
}

} // namespace

void move_to(session_ptr self, session_status to, const std::string& reason) {
  auto& st = self->state;
  auto from = st.status;
  st.status = to;
  st.log->debug("session {} -> {}: {}", st.spec().id, to_string(to), reason);
  if (st.holding_writes)
    st.held_moves.push_back(status_change{to, reason, wall_clock_ms()});
  else
    store_write(self, repo::set_session_status{st.spec().id, to, reason});
  st.ctx->census->moved(from, to);
  // A dozing actor tells the front it is awake by any move.
  if (st.dozing || front_view_changed(from, to))
    self->send(st.ctx->front, front::session_changed{st.spec().id, to});
  st.dozing = false;
  touch(self);
}

one_store_write::one_store_write(session_ptr self)
    : self_(self), outermost_(!self->state.holding_writes) {
  self->state.holding_writes = true;
}

one_store_write::~one_store_write() {
  if (!outermost_)
    return;
  auto& st = self_->state;
  st.holding_writes = false;
  auto moves = std::move(st.held_moves);
  st.held_moves.clear();
  auto bound = std::move(st.held_bind);
  st.held_bind = nullptr;
  auto kernels = std::move(st.held_kernels);
  st.held_kernels.clear();
  if (!moves.empty()) {
    store_write(self_, repo::move_session{st.spec().id, std::move(moves), std::move(bound),
                                          std::move(kernels)});
    return;
  }
  if (bound)
    store_write(self_, repo::bind_session{*bound});
  for (auto& k : kernels)
    store_write(self_, std::move(k));
}

void write_kernel_status(session_ptr self, repo::set_kernel_status change) {
  if (self->state.holding_writes)
    self->state.held_kernels.push_back(std::move(change));
  else
    store_write(self, std::move(change));
}

void touch(session_ptr self) {
  auto& st = self->state;
  auto now = session_clock::now();
  st.phase_due =
      phase_due_after(st.status, now, st.ctx->phase_probe_after, st.ctx->park_idle_after);
  if (st.phase_due != session_clock::time_point{})
    arm_phase_timer(self, st.phase_due - now);
}

void images_ready(session_ptr self, const std::string& reason) {
  // Pull events of these images (other sessions' pulls) are of no interest any more. When every
  // pull's end came as an event, the hub stopped routing them already (event_hub.hpp).
  bool ended_by_events = self->state.pending_pulls.empty();
  self->state.pending_pulls.clear();
  if (!ended_by_events)
    attach_to_hub(self);
  one_store_write write{self};
  move_to(self, session_status::prepared, reason);
  start_creating(self);
}

void all_started(session_ptr self, const std::string& reason) {
  move_to(self, session_status::running, reason);
  if (self->state.spec().type == session_type::batch)
    start_batch(self);
}

void kernel_running(session_ptr self, const kernel_id& kernel, const std::string& container,
                    const std::string& how) {
  auto& st = self->state;
  if (!st.mark_started(kernel))
    return;
  one_store_write write{self};
  write_kernel_status(self, repo::set_kernel_status{kernel, kernel_status::running, container});
  if (st.status != session_status::creating)
    return;
  if (st.started_count == st.spec().kernels.size())
    return all_started(self, "every kernel started (the last known by " + how + ")");
  touch(self);
}

session_actor spawn_session(caf::local_actor* parent, std::shared_ptr<const session_context> ctx,
                            shared_spec spec, session_record record, shared_images images,
                            std::vector<caf::message> held) {
  auto handle = parent->spawn(session, std::move(ctx), std::move(spec), std::move(record),
                              std::move(images), std::move(held));
  parent->monitor(handle);
  return handle;
}

} // namespace baikal
