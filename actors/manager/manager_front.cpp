#include "actors/manager/manager_front.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/launch_retry.hpp"
#include "actors/manager/scheduler.hpp"
#include "actors/manager/session.hpp"
#include "actors/manager/session_request.hpp"
#include "actors/manager/session_status.hpp"
#include "actors/manager/slot_view.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using clock = std::chrono::steady_clock;

/// Where a live session's actor is (see session.hpp on parking).
enum class presence : uint8_t {
  live,   ///< `actor` runs the session
  dozing, ///< `actor` asked to park: what comes for the session is held until it says
  parked, ///< no actor: the next termination or kernel event spawns one
};

struct session_entry {
  shared_spec spec; ///< shared with its session actor; null once the session ended
  user_id owner;    ///< set once the session ended (before, the spec has it)
  std::string status;
  session_actor actor; ///< invalid once the session ended, and while it is parked
  presence where = presence::live;
  bool holds_slots = false;   ///< its kernels count against their agents
  std::string pending_reason; ///< the last reason it was told it stays PENDING
  bool starting = false;      ///< bound and not RUNNING or ended yet (see max_starting)
  clock::time_point created;  ///< for the launch latency
};

struct known_agent {
  agent_record record;
  agent_actor handle;
};

struct front_state {
  manager_settings settings;
  sched::policy policy = sched::policy::concentrated;
  front_deps deps;
  std::shared_ptr<const session_context> ctx;
  std::unordered_map<session_id, session_entry> sessions; ///< hashed: looked up per message
  /// PENDING sessions in arrival order. An id whose session ended meanwhile stays until a pass
  /// reaches it and skips it: removing it when the session ends would cost O(pending) each time.
  std::deque<session_id> pending;
  std::map<agent_id, known_agent> agents;
  /// The slot names agents have reported (never forgotten: a LOST agent may come back).
  std::set<std::string> offered_slots{"cpu", "mem"};
  /// The sessions holding slots on each agent: what kernels_on looks at, rather than every
  /// session (an agent that comes back during a large burst would otherwise scan them all).
  /// Entries, not ids: the entries never move (nor go) and a pointer is a sixth of an id's size.
  std::unordered_map<agent_id, std::unordered_set<const session_entry*>> sessions_on_agent;
  sched::slot_view slots{sched::policy::concentrated};
  bool pass_queued = false; ///< a scheduling pass is on its way through the mailbox
  size_t starting = 0;      ///< sessions with `starting` set
  std::map<std::string, shared_images> images_by_ref; ///< see images_for
  /// What came for dozing sessions, handed to their actor once it is known whether it parked.
  std::unordered_map<session_id, std::vector<caf::message>> held;
  /// Agents whose creations kept failing, kept out of the slot view while quarantined.
  agent_quarantine quarantine;
  /// Sessions placed again (front::place_again) and the agents that failed them, until bound.
  std::unordered_map<session_id, std::vector<agent_id>> avoid;
  /// When the quarantine_tick on its way fires; none when no tick is out.
  std::optional<clock::time_point> quarantine_tick_at;
  manager_metrics metrics;
  std::shared_ptr<spdlog::logger> log = log::get("manager");
  static inline const char* name = "manager_front";
};

using front_ptr = manager_front_actor::stateful_pointer<front_state>;

/// See manager_settings::max_starting.
size_t max_starting(const front_state& st) {
  return static_cast<size_t>(std::max(st.settings.max_starting, 1));
}

caf::error no_session(const session_id& id) {
  return make_error(errc::not_found, "no session " + id);
}

const user_id& owner_of(const session_entry& e) {
  return e.spec ? e.spec->user_uuid : e.owner;
}

/// The session `id` if `owner` may see it.
session_entry* owned(front_ptr self, const user_id& owner, const session_id& id) {
  auto i = self->state.sessions.find(id);
  if (i == self->state.sessions.end() || owner_of(i->second) != owner)
    return nullptr;
  return &i->second;
}

/// The image configs of a stored session's kernels, resolved again from the settings.
shared_images images_of(front_ptr self, const scheduled_session& spec) {
  std::map<std::string, image_config> out;
  for (auto& k : spec.kernels)
    out.emplace(k.image, resolve_image(k.image, self->state.settings.images));
  return std::make_shared<const std::map<std::string, image_config>>(std::move(out));
}

/// The configs of one resolved image, shared by every session of it (the settings do not
/// change while the front runs, so a resolved reference stays valid).
shared_images images_for(front_ptr self, const image_config& image) {
  auto& cached = self->state.images_by_ref[image.canonical];
  if (!cached)
    cached = std::make_shared<const std::map<std::string, image_config>>(
        std::map<std::string, image_config>{{image.canonical, image}});
  return cached;
}

void hold_slots(front_ptr self, session_entry& e, double sign) {
  auto& st = self->state;
  for (auto& k : e.spec->kernels) {
    st.slots.add_use(k.agent, k.slots, sign);
    if (sign > 0) {
      st.sessions_on_agent[k.agent].insert(&e);
    } else if (auto on = st.sessions_on_agent.find(k.agent); on != st.sessions_on_agent.end()) {
      on->second.erase(&e);
      if (on->second.empty())
        st.sessions_on_agent.erase(on);
    }
  }
  e.holds_slots = sign > 0;
}

// -- agents in the slot view ----------------------------------------------------------------------

/// Whether sessions may be placed on `a` now: ALIVE, reachable, and not quarantined.
/// An unhealthy agent (its Docker engine does not answer) keeps its kernels but gets no new ones.
bool takes_placements(const front_state& st, const agent_record& rec, bool reachable) {
  return rec.status == "ALIVE" && reachable && rec.unhealthy.empty() &&
         st.quarantine.placeable(rec.id, clock::now());
}

/// Tells the slot view what `id` is now (after its record or its quarantine changed).
void refresh_agent(front_ptr self, const agent_id& id) {
  auto& st = self->state;
  auto a = st.agents.find(id);
  if (a == st.agents.end())
    return;
  auto& rec = a->second.record;
  st.slots.set_agent(id, rec.addr, rec.scaling_group,
                     takes_placements(st, rec, static_cast<bool>(a->second.handle)), rec.capacity);
}

/// One quarantine_tick out for the earliest back-off end; another when an earlier one comes.
void arm_quarantine_tick(front_ptr self) {
  auto& st = self->state;
  auto next = st.quarantine.next_due();
  if (!next || (st.quarantine_tick_at && *st.quarantine_tick_at <= *next))
    return;
  st.quarantine_tick_at = *next;
  auto delay = std::max(*next - clock::now(), clock::duration::zero());
  self->delayed_send(self,
                     std::chrono::duration_cast<std::chrono::milliseconds>(delay) +
                         std::chrono::milliseconds{1},
                     front::quarantine_tick{});
}

agent_quarantine_view quarantine_view_of(const quarantine_status& q) {
  return {to_string(q.phase), q.reason, q.remaining_ms, q.failures};
}

/// A placement on a quarantined agent whose back-off ended is its probe: it takes no more.
void note_placement(front_ptr self, const sched::placement& p) {
  auto& st = self->state;
  if (st.quarantine.held() == 0)
    return;
  auto now = clock::now();
  for (auto& agent : p.agents)
    if (st.quarantine.placed(agent, now)) {
      st.log->info("agent {} takes a session as the probe of its quarantine", agent);
      refresh_agent(self, agent);
      arm_quarantine_tick(self);
    }
}

// -- scheduling -----------------------------------------------------------------------------------

sched::demand demand_of(const scheduled_session& spec) {
  return {spec.scaling_group, spec.mode, spec.cluster_size,
          spec.kernels.empty() ? resource_slots{} : spec.kernels.front().slots};
}

bool same_demand(const sched::demand& a, const sched::demand& b) {
  return a.scaling_group == b.scaling_group && a.mode == b.mode &&
         a.cluster_size == b.cluster_size && a.per_kernel == b.per_kernel;
}

/// `reason` a session is not placed for, with a word on the quarantined agents if there are
/// any: the slot view does not count them, so they may be the very agents with room.
std::string with_quarantine_note(const front_state& st, const std::string& reason) {
  auto n = st.quarantine.held();
  if (n == 0)
    return reason;
  return reason + "; " + std::to_string(n) + " agent" + (n == 1 ? " is" : "s are") +
         " quarantined after failing kernel creations (see /v1/agents)";
}

/// `avoid` and every agent with an agent-side failure since its last success: quarantined,
/// probing, or on its way there (before its quarantine begins, a failing agent is the emptiest
/// of all, and a session placed again would go from one such agent to the next).
std::vector<agent_id> with_suspects(const front_state& st, std::vector<agent_id> avoid) {
  auto suspects = st.quarantine.suspects();
  avoid.insert(avoid.end(), suspects.begin(), suspects.end());
  return avoid;
}

/// Places the PENDING sessions in arrival order on the slot view, which each placement updates.
void schedule_pending(front_ptr self) {
  auto& st = self->state;
  if (st.pending.empty())
    return;
  // Within one pass slots are only taken, never freed: a demand that did not fit once does not
  // fit again, so the sessions asking the same are told the same reason without a search.
  std::vector<std::pair<sched::demand, std::string>> refused;
  std::deque<session_id> still; ///< refused now: back to the front of the queue, in order
  // Taken from the front until the starting bound is reached: the sessions behind it are not
  // looked at, so a long queue costs nothing per pass while the bound holds.
  while (!st.pending.empty() && st.starting < max_starting(st)) {
    auto id = std::move(st.pending.front());
    st.pending.pop_front();
    auto i = st.sessions.find(id);
    if (i == st.sessions.end() || i->second.status != "PENDING" || !i->second.actor)
      continue;
    auto& e = i->second;
    auto d = demand_of(*e.spec);
    const std::string* reason = nullptr;
    sched::placement p;
    // Placed again: on an agent without recent failures if any has room (so never as the
    // probe of a quarantined agent); if none has, where its kind would go.
    if (auto av = st.avoid.find(id); av != st.avoid.end())
      p = st.slots.place(d, with_suspects(st, av->second));
    if (!p.placed()) {
      for (auto& r : refused)
        if (same_demand(r.first, d))
          reason = &r.second;
      if (!reason) {
        p = st.slots.place(d);
        if (!p.placed()) {
          refused.emplace_back(d, with_quarantine_note(st, p.reason));
          reason = &refused.back().second;
        }
      }
    }
    if (reason) {
      // The session records a reason only when it changes: tell it only then.
      if (*reason != e.pending_reason) {
        e.pending_reason = *reason;
        self->send(e.actor, sess::still_pending{*reason});
      }
      still.push_back(std::move(id));
      continue;
    }
    // A new spec: the old one is shared with the session actor, which reads it meanwhile.
    auto bound = std::make_shared<scheduled_session>(*e.spec);
    st.slots.bind(*bound, p);
    e.spec = std::move(bound);
    st.avoid.erase(id);
    hold_slots(self, e, 1);
    note_placement(self, p);
    e.starting = true;
    ++st.starting;
    self->send(e.actor, sess::bound{e.spec});
  }
  st.pending.insert(st.pending.begin(), std::make_move_iterator(still.begin()),
                    std::make_move_iterator(still.end()));
}

/// Runs a pass once the messages already in the mailbox are handled: the sessions created in
/// the meantime are placed together.
void queue_pass(front_ptr self) {
  if (self->state.pass_queued)
    return;
  self->state.pass_queued = true;
  self->send(self, front::schedule_pass{});
}

// -- quarantine and placing again
// ------------------------------------------------------------------

/// The session started its kernels: their agents' failures in a row are over.
void launch_succeeded(front_ptr self, const session_entry& e) {
  auto& st = self->state;
  if (st.quarantine.tracked() == 0 || !e.spec)
    return;
  for (auto& k : e.spec->kernels)
    if (st.quarantine.succeeded(k.agent)) {
      st.log->info("agent {} started the kernels of session {}: its quarantine is over", k.agent,
                   e.spec->id);
      refresh_agent(self, k.agent);
      queue_pass(self);
    }
}

void launch_failed(front_ptr self, const front::launch_failed& x) {
  auto& st = self->state;
  auto now = clock::now();
  for (auto& f : x.failures) {
    if (!st.quarantine.failed(f.agent, f.message, now))
      continue;
    auto q = st.quarantine.status(f.agent, now);
    ++st.metrics.quarantines;
    st.log->warn("agent {} is quarantined for {:.1f} s: {} kernel creation(s) in a row failed "
                 "for reasons of its own (last, for session {}: {})",
                 f.agent, static_cast<double>(q.remaining_ms) / 1000.0, q.failures, x.session,
                 f.message);
    refresh_agent(self, f.agent);
  }
  arm_quarantine_tick(self);
}

void quarantine_tick(front_ptr self) {
  auto& st = self->state;
  auto now = clock::now();
  if (st.quarantine_tick_at && *st.quarantine_tick_at <= now)
    st.quarantine_tick_at.reset();
  for (auto& agent : st.quarantine.due(now)) {
    st.log->info("agent {}'s quarantine back-off is over: its next session is the probe", agent);
    refresh_agent(self, agent);
    queue_pass(self);
  }
  arm_quarantine_tick(self);
}

/// The session's start failed on `x.avoid` and it is PENDING again: ahead of the others.
void place_again(front_ptr self, front::place_again& x) {
  auto& st = self->state;
  auto i = st.sessions.find(x.session);
  // Ended or ending meanwhile (the session told the front PENDING before this).
  if (i == st.sessions.end() || !i->second.spec || !i->second.actor ||
      i->second.status != "PENDING")
    return;
  auto& e = i->second;
  if (e.starting) {
    e.starting = false;
    --st.starting;
  }
  if (e.holds_slots)
    hold_slots(self, e, -1);
  e.pending_reason = std::string{};
  ++st.metrics.launch_retries;
  st.avoid[x.session] = std::move(x.avoid);
  st.pending.push_front(x.session);
  queue_pass(self);
}

// -- sessions -------------------------------------------------------------------------------------

/// An ended session keeps only what the front still answers from memory (its owner and status);
/// the rest of it is read from the store.
void forget_spec(session_entry& e) {
  e.owner = e.spec->user_uuid;
  e.spec.reset();
  e.pending_reason = std::string{};
}

session_entry& add_session(front_ptr self, session_record rec, shared_images images) {
  auto& st = self->state;
  auto id = rec.spec.id;
  auto& e = st.sessions[id];
  e.spec = std::make_shared<const scheduled_session>(std::move(rec.spec));
  e.status = rec.status;
  e.created = clock::now();
  st.metrics.session_moved("", rec.status);
  if (is_terminal_status(rec.status)) {
    forget_spec(e);
    return e;
  }
  if (rec.status == "PENDING")
    st.pending.push_back(id);
  else
    hold_slots(self, e, 1);
  e.actor = spawn_session(self, st.ctx, e.spec, std::move(rec), std::move(images));
  return e;
}

caf::result<session_id> create_session(front_ptr self, api::create_session& x) {
  auto& st = self->state;
  if (auto err = validate(x.request))
    return err;
  if (auto err = check_slots_offered(x.request.resources, st.offered_slots))
    return err;
  auto image = resolve_image(x.request.image, st.settings.images);
  auto spec = make_session(x.request, image, st.settings.default_scaling_group);
  auto rp = make_guarded_promise<session_id>(self);
  const std::string reason = "waiting to be scheduled";
  // No request timeout: the store is linked to the front, so it answers or the front ends too.
  self->request(st.deps.store, caf::infinite, repo::insert_session{spec, "PENDING", reason})
      .then(
          [self, rp, spec, image](ack) mutable {
            auto id = spec.id;
            session_record rec;
            rec.spec = std::move(spec);
            rec.status = "PENDING";
            add_session(self, std::move(rec), images_for(self, image));
            queue_pass(self);
            rp.deliver(std::move(id));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::result<session_record> get_session(front_ptr self, const api::get_session& x) {
  if (!owned(self, x.owner, x.session))
    return no_session(x.session);
  return self->delegate(self->state.deps.store, repo::get_session{x.session});
}

// -- parked sessions ------------------------------------------------------------------------------

/// Sends `e.actor` what was held for the session while it was dozing or parked.
void hand_over_held(front_ptr self, const session_id& id, const session_entry& e) {
  auto h = self->state.held.find(id);
  if (h == self->state.held.end())
    return;
  for (auto& m : h->second)
    caf::anon_send(caf::actor_cast<caf::actor>(e.actor), std::move(m));
  self->state.held.erase(h);
}

/// Spawns the actor of a parked session again: RUNNING, every kernel started (a kernel that
/// ends wakes the session, so a parked session's kernels all run as far as the manager knows),
/// and hands it what came meanwhile.
void wake(front_ptr self, const session_id& id, session_entry& e) {
  auto& st = self->state;
  session_record rec;
  rec.status = e.status;
  for (auto& k : e.spec->kernels) {
    kernel_record kr;
    kr.id = k.id;
    kr.status = "RUNNING";
    rec.kernels.push_back(std::move(kr));
  }
  e.actor = spawn_session(self, st.ctx, e.spec, std::move(rec), images_of(self, *e.spec));
  e.where = presence::live;
  --st.metrics.parked_sessions;
  st.log->debug("session {} wakes", id);
  hand_over_held(self, id, e);
}

/// Something for a live session that may be parked or parking: to its actor, held, or held
/// and the actor spawned again.
void deliver(front_ptr self, const session_id& id, session_entry& e, caf::message m) {
  switch (e.where) {
  case presence::live:
    if (e.actor)
      caf::anon_send(caf::actor_cast<caf::actor>(e.actor), std::move(m));
    return;
  case presence::dozing:
  case presence::parked:
    self->state.held[id].push_back(std::move(m));
    if (e.where == presence::parked)
      wake(self, id, e);
    return;
  }
}

/// The session's actor asks to park; the hub stops routing to it first (see session.hpp).
void session_idle(front_ptr self, const session_id& id) {
  auto i = self->state.sessions.find(id);
  if (i == self->state.sessions.end())
    return;
  auto& e = i->second;
  if (e.where != presence::live || e.status != "RUNNING" || !e.actor)
    return;
  e.where = presence::dozing;
  self->send(self->state.deps.hub, hub::detach_session{id, e.actor});
}

void session_asleep(front_ptr self, const session_id& id) {
  auto& st = self->state;
  auto i = st.sessions.find(id);
  if (i == st.sessions.end() || i->second.where != presence::dozing)
    return;
  auto& e = i->second;
  e.actor = nullptr;
  e.where = presence::parked;
  ++st.metrics.parked_sessions;
  if (st.held.count(id))
    wake(self, id, e);
}

/// The actor of a dozing session moved on (an event came before it could park): it keeps
/// running the session, and gets what was held for it.
void session_woke(front_ptr self, const session_id& id, session_entry& e) {
  e.where = presence::live;
  hand_over_held(self, id, e);
}

/// A kernel event the hub had no route for: the session may be parked.
template <class Event> void kernel_event(front_ptr self, const Event& ev) {
  auto i = self->state.sessions.find(ev.header.session);
  if (i == self->state.sessions.end() || is_terminal_status(i->second.status) || !i->second.spec)
    return;
  deliver(self, i->first, i->second, caf::make_message(ev));
}

caf::result<ack> terminate_session(front_ptr self, const api::terminate_session& x) {
  auto* e = owned(self, x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (is_terminal_status(e->status) || !e->spec)
    return ack{};
  if (e->where == presence::live) {
    if (!e->actor)
      return ack{};
    return self->delegate(e->actor, sess::terminate{"terminated by the user"});
  }
  // The actor answers as soon as the termination has begun: answer the same, now.
  deliver(self, x.session, *e, caf::make_message(sess::terminate{"terminated by the user"}));
  return ack{};
}

caf::result<kernel_route> main_kernel(front_ptr self, const api::main_kernel& x) {
  auto* e = owned(self, x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (e->status != "RUNNING")
    return make_error(errc::invalid_argument,
                      "session " + x.session + " is " + e->status + ", not RUNNING");
  auto& kernels = e->spec->kernels;
  auto k = std::find_if(kernels.begin(), kernels.end(),
                        [](auto& k) { return k.cluster_role == "main"; });
  if (k == kernels.end())
    return make_error(errc::runtime_error, "session " + x.session + " has no main kernel");
  auto a = self->state.agents.find(k->agent);
  if (a == self->state.agents.end() || !a->second.handle || a->second.record.status != "ALIVE")
    return make_error(errc::unavailable, "agent " + k->agent + " of session " + x.session +
                                             " is not connected; try again when it is back");
  return kernel_route{x.session, k->id, k->agent, a->second.handle};
}

void session_changed(front_ptr self, const front::session_changed& x) {
  auto& st = self->state;
  auto i = st.sessions.find(x.session);
  if (i == st.sessions.end())
    return;
  auto& e = i->second;
  if (e.where == presence::dozing)
    session_woke(self, x.session, e);
  st.metrics.session_moved(e.status, x.status);
  if (x.status == "RUNNING" && e.status != "RUNNING") {
    st.metrics.launch_latency.observe(
        std::chrono::duration<double>(clock::now() - e.created).count());
    launch_succeeded(self, e);
  }
  e.status = x.status;
  bool may_place = false;
  if (e.starting && (x.status == "RUNNING" || is_terminal_status(x.status))) {
    e.starting = false;
    --st.starting;
    may_place = true;
  }
  if (is_terminal_status(x.status)) {
    // Its id may still be in `pending`: schedule_pending skips it there.
    e.actor = nullptr;
    if (e.holds_slots) {
      hold_slots(self, e, -1);
      may_place = true; // the freed slots may fit a waiting session
    }
    forget_spec(e);
  }
  if (may_place && !st.pending.empty())
    queue_pass(self);
}

// -- agents ---------------------------------------------------------------------------------------

void agent_changed(front_ptr self, front::agent_changed& x) {
  auto& st = self->state;
  auto& a = st.agents[x.record.id];
  bool revived = x.record.status == "ALIVE" && a.record.status != "ALIVE";
  // Counted as they change, not recounted: every heartbeat of every agent comes through here.
  auto& by_status = st.metrics.agents_by_status;
  if (auto old = by_status.find(a.record.status); !a.record.id.empty() && old != by_status.end())
    if (--old->second == 0)
      by_status.erase(old);
  ++by_status[x.record.status];
  auto unhealthy = [](const agent_record& r) {
    return r.status == "ALIVE" && !r.unhealthy.empty();
  };
  if (unhealthy(a.record))
    --st.metrics.unhealthy_agents;
  if (unhealthy(x.record))
    ++st.metrics.unhealthy_agents;
  a.record = std::move(x.record);
  a.handle = std::move(x.handle);
  for (auto& slot : a.record.capacity)
    st.offered_slots.insert(slot.first);
  refresh_agent(self, a.record.id);
  if (revived || takes_placements(st, a.record, static_cast<bool>(a.handle)))
    queue_pass(self);
}

/// The registry has the agents' last heartbeats (it tells the front only about changes); the
/// front adds what its sessions use of each.
caf::result<std::vector<agent_view>> list_agents(front_ptr self) {
  auto rp = make_guarded_promise<std::vector<agent_view>>(self);
  self->request(self->state.deps.registry, std::chrono::seconds{30}, reg::list_agent_records{})
      .then(
          [self, rp](std::vector<agent_record>& records) mutable {
            std::vector<agent_view> out;
            out.reserve(records.size());
            auto now = clock::now();
            for (auto& r : records) {
              auto used = self->state.slots.used(r.id);
              auto q = quarantine_view_of(self->state.quarantine.status(r.id, now));
              out.push_back({std::move(r), std::move(used), std::move(q)});
            }
            rp.deliver(std::move(out));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// Whether a session in `status` may have kernels on its agents: from PREPARED on (the step
/// before create_kernels) until it ends. Earlier ones have none yet, and listing them would
/// only make the agent report them as already terminated.
bool may_run_kernels(const std::string& status) {
  return status == "PREPARED" || status == "CREATING" || status == "RUNNING" ||
         status == "TERMINATING";
}

std::vector<kernel_session> kernels_on(front_ptr self, const agent_id& agent) {
  auto& st = self->state;
  std::vector<kernel_session> out;
  auto on = st.sessions_on_agent.find(agent);
  if (on == st.sessions_on_agent.end())
    return out;
  // Sessions holding slots are those bound and not ended: a superset of the ones that may run.
  for (auto* e : on->second) {
    if (!may_run_kernels(e->status))
      continue;
    for (auto& k : e->spec->kernels)
      if (k.agent == agent)
        out.push_back({k.id, e->spec->id});
  }
  return out;
}

caf::result<agent_actor> agent_handle(front_ptr self, const agent_id& id) {
  auto a = self->state.agents.find(id);
  if (a == self->state.agents.end())
    return make_error(errc::not_found, "no agent " + id);
  if (!a->second.handle || a->second.record.status != "ALIVE")
    return make_error(errc::unavailable, "agent " + id + " is " + a->second.record.status +
                                             "; try again when it is back");
  return a->second.handle;
}

// -- set-up ---------------------------------------------------------------------------------------

/// If `who` was the actor of a live session, its session forgets it. A scan: it only runs when
/// a session's actor crashed, and an index by address would cost every session its memory.
void forget_crashed_session(front_ptr self, const caf::actor_addr& who, const caf::error& why) {
  for (auto& [id, e] : self->state.sessions)
    if (e.actor && e.actor.address() == who) {
      self->state.log->error("the actor of session {} ended: {}", id, caf::to_string(why));
      e.actor = nullptr;
      e.where = presence::live;
      self->state.held.erase(id);
      return;
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
/// monitored: their failures stay theirs.
void link_dependencies(front_ptr self) {
  auto& d = self->state.deps;
  self->link_to(d.store);
  self->link_to(d.launcher);
  self->link_to(d.hub);
  self->link_to(d.registry);
  // A part of the manager ending, or whoever stops the manager, stops it and its sessions.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::normal)
      return;
    stop_sessions(self, msg.reason);
    self->quit(msg.reason);
  });
  // Not linked, the sessions would outlive a front that failed (and hold the actor system up).
  stop_alone_on_exception(self, "the manager front",
                          [self](const caf::error& err) { stop_sessions(self, err); });
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
  st.policy = policy ? *policy : sched::policy::concentrated;
  st.slots = sched::slot_view{st.policy};
  auto ctx = std::make_shared<session_context>();
  ctx->store = deps.store;
  ctx->launcher = deps.launcher;
  ctx->hub = deps.hub;
  ctx->registry = deps.registry;
  ctx->front = self;
  ctx->network_plugins = settings.network_plugins;
  ctx->default_network_driver = settings.default_network_driver;
  ctx->phase_probe_after = settings.phase_probe_after;
  ctx->session_start_timeout = settings.session_start_timeout;
  ctx->park_idle_after = settings.park_idle_after;
  ctx->launch_retries = static_cast<uint32_t>(std::max(settings.launch_retries, 0));
  st.quarantine = agent_quarantine{settings.quarantine};
  ctx->keypairs = settings.keypairs;
  st.ctx = std::move(ctx);
  st.settings = std::move(settings);
  auto recovered = std::move(deps.recovered);
  st.deps = std::move(deps);
  link_dependencies(self);
  for (auto& rec : recovered) {
    auto images = images_of(self, rec.spec);
    add_session(self, std::move(rec), std::move(images));
  }
  return {
      [self](api::create_session& x) { return create_session(self, x); },
      [self](const api::list_sessions& x) -> caf::result<std::vector<session_record>> {
        return self->delegate(self->state.deps.store, repo::list_sessions_of{x.owner});
      },
      [self](const api::get_session& x) { return get_session(self, x); },
      [self](const api::terminate_session& x) { return terminate_session(self, x); },
      [self](const api::main_kernel& x) { return main_kernel(self, x); },
      [self](const api::list_agents&) { return list_agents(self); },
      [self](const api::agent_handle& x) { return agent_handle(self, x.agent); },
      [self](api::subscribe_events& x) -> caf::result<ack> {
        return self->delegate(self->state.deps.hub, std::move(x));
      },
      [self](const api::get_metrics&) {
        auto& st = self->state;
        return render_prometheus(st.metrics, *st.deps.counters,
                                 st.quarantine.held_agents(clock::now()));
      },
      [self](front::agent_changed& x) { agent_changed(self, x); },
      [self](const front::session_changed& x) { session_changed(self, x); },
      [self](front::schedule_pass) {
        self->state.pass_queued = false;
        schedule_pending(self);
      },
      [self](const front::kernels_on_agent& x) { return kernels_on(self, x.agent); },
      [self](const front::session_idle& x) { session_idle(self, x.session); },
      [self](const front::session_asleep& x) { session_asleep(self, x.session); },
      [self](const front::launch_failed& x) { launch_failed(self, x); },
      [self](front::place_again& x) { place_again(self, x); },
      [self](front::quarantine_tick) { quarantine_tick(self); },
      [self](const kernel_started_event& e) { kernel_event(self, e); },
      [self](const kernel_terminated_event& e) { kernel_event(self, e); },
  };
}

} // namespace

manager_front_actor spawn_manager_front(caf::actor_system& sys, manager_settings settings,
                                        front_deps deps) {
  return sys.spawn(manager_front, std::move(settings), std::move(deps));
}

} // namespace baikal
