#include "actors/manager/manager_front.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/scheduler.hpp"
#include "actors/manager/session.hpp"
#include "actors/manager/session_request.hpp"
#include "actors/manager/session_status.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using clock = std::chrono::steady_clock;

struct session_entry {
  scheduled_session spec;
  std::string status;
  session_actor actor;       ///< invalid once the session ended
  bool holds_slots = false;  ///< its kernels count against their agents
  clock::time_point created; ///< for the launch latency
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
  std::map<session_id, session_entry> sessions;
  std::deque<session_id> pending;
  std::map<agent_id, known_agent> agents;
  std::map<agent_id, resource_slots> used;
  manager_metrics metrics;
  std::shared_ptr<spdlog::logger> log = log::get("manager");
  static inline const char* name = "manager_front";
};

using front_ptr = manager_front_actor::stateful_pointer<front_state>;

caf::error no_session(const session_id& id) {
  return make_error(errc::not_found, "no session " + id);
}

/// The session `id` if `owner` may see it.
session_entry* owned(front_ptr self, const user_id& owner, const session_id& id) {
  auto i = self->state.sessions.find(id);
  if (i == self->state.sessions.end() || i->second.spec.user_uuid != owner)
    return nullptr;
  return &i->second;
}

/// The image configs of a stored session's kernels, resolved again from the settings.
std::map<std::string, image_config> images_of(front_ptr self, const scheduled_session& spec) {
  std::map<std::string, image_config> out;
  for (auto& k : spec.kernels)
    out.emplace(k.image, resolve_image(k.image, self->state.settings.images));
  return out;
}

void hold_slots(front_ptr self, session_entry& e, double sign) {
  for (auto& k : e.spec.kernels)
    sched::accumulate(self->state.used[k.agent], k.slots, sign);
  e.holds_slots = sign > 0;
}

// -- scheduling -----------------------------------------------------------------------------------

std::vector<sched::agent_slots> agent_slots(front_ptr self) {
  std::vector<sched::agent_slots> out;
  for (auto& [id, a] : self->state.agents)
    out.push_back({id, a.record.addr, a.record.scaling_group,
                   a.record.status == "ALIVE" && static_cast<bool>(a.handle), a.record.capacity,
                   self->state.used[id]});
  return out;
}

void schedule_pending(front_ptr self) {
  auto& st = self->state;
  if (st.pending.empty())
    return;
  auto agents = agent_slots(self);
  std::deque<session_id> still;
  for (auto& id : st.pending) {
    auto i = st.sessions.find(id);
    if (i == st.sessions.end() || i->second.status != "PENDING" || !i->second.actor)
      continue;
    auto& e = i->second;
    sched::demand d{e.spec.scaling_group, e.spec.mode, e.spec.cluster_size,
                    e.spec.kernels.empty() ? resource_slots{} : e.spec.kernels.front().slots};
    auto p = sched::place(d, agents, st.policy);
    if (!p.placed()) {
      self->send(e.actor, sess::still_pending{p.reason});
      still.push_back(id);
      continue;
    }
    sched::bind_kernels(e.spec, p, agents);
    hold_slots(self, e, 1);
    for (auto& a : agents)
      a.used = st.used[a.id];
    self->send(e.actor, sess::bound{e.spec});
  }
  st.pending = std::move(still);
}

// -- sessions -------------------------------------------------------------------------------------

session_entry& add_session(front_ptr self, session_record rec,
                           std::map<std::string, image_config> images) {
  auto& st = self->state;
  auto& e = st.sessions[rec.spec.id];
  e.spec = rec.spec;
  e.status = rec.status;
  e.created = clock::now();
  st.metrics.session_moved("", rec.status);
  if (is_terminal_status(rec.status))
    return e;
  if (rec.status == "PENDING")
    st.pending.push_back(rec.spec.id);
  else
    hold_slots(self, e, 1);
  e.actor = spawn_session(self, st.ctx, std::move(rec), std::move(images));
  return e;
}

caf::result<session_id> create_session(front_ptr self, api::create_session& x) {
  auto& st = self->state;
  if (auto err = validate(x.request))
    return err;
  auto image = resolve_image(x.request.image, st.settings.images);
  auto spec = make_session(x.request, image, st.settings.default_scaling_group);
  auto rp = self->make_response_promise<session_id>();
  const std::string reason = "waiting to be scheduled";
  self->request(st.deps.store, std::chrono::seconds{60},
                repo::insert_session{spec, "PENDING", reason})
      .then(
          [self, rp, spec, image](ack) mutable {
            session_record rec;
            rec.spec = spec;
            rec.status = "PENDING";
            add_session(self, std::move(rec), {{image.canonical, image}});
            schedule_pending(self);
            rp.deliver(spec.id);
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::result<session_record> get_session(front_ptr self, const api::get_session& x) {
  if (!owned(self, x.owner, x.session))
    return no_session(x.session);
  return self->delegate(self->state.deps.store, repo::get_session{x.session});
}

caf::result<ack> terminate_session(front_ptr self, const api::terminate_session& x) {
  auto* e = owned(self, x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (!e->actor || is_terminal_status(e->status))
    return ack{};
  return self->delegate(e->actor, sess::terminate{"terminated by the user"});
}

caf::result<kernel_route> main_kernel(front_ptr self, const api::main_kernel& x) {
  auto* e = owned(self, x.owner, x.session);
  if (!e)
    return no_session(x.session);
  if (e->status != "RUNNING")
    return make_error(errc::invalid_argument,
                      "session " + x.session + " is " + e->status + ", not RUNNING");
  auto k = std::find_if(e->spec.kernels.begin(), e->spec.kernels.end(),
                        [](auto& k) { return k.cluster_role == "main"; });
  if (k == e->spec.kernels.end())
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
  st.metrics.session_moved(e.status, x.status);
  if (x.status == "RUNNING" && e.status != "RUNNING")
    st.metrics.launch_latency.observe(
        std::chrono::duration<double>(clock::now() - e.created).count());
  e.status = x.status;
  if (!is_terminal_status(x.status))
    return;
  e.actor = nullptr;
  st.pending.erase(std::remove(st.pending.begin(), st.pending.end(), x.session), st.pending.end());
  if (e.holds_slots) {
    hold_slots(self, e, -1);
    schedule_pending(self); // the freed slots may fit a waiting session
  }
}

// -- agents ---------------------------------------------------------------------------------------

void agent_changed(front_ptr self, front::agent_changed& x) {
  auto& st = self->state;
  auto& a = st.agents[x.record.id];
  bool revived = x.record.status == "ALIVE" && a.record.status != "ALIVE";
  a.record = std::move(x.record);
  a.handle = std::move(x.handle);
  st.metrics.agents_by_status.clear();
  for (auto& entry : st.agents)
    ++st.metrics.agents_by_status[entry.second.record.status];
  if (revived || a.record.status == "ALIVE")
    schedule_pending(self);
}

std::vector<agent_view> list_agents(front_ptr self) {
  std::vector<agent_view> out;
  for (auto& [id, a] : self->state.agents)
    out.push_back({a.record, self->state.used[id]});
  return out;
}

/// Whether a session in `status` may have kernels on its agents: from PREPARED on (the step
/// before create_kernels) until it ends. Earlier ones have none yet, and listing them would
/// only make the agent report them as already terminated.
bool may_run_kernels(const std::string& status) {
  return status == "PREPARED" || status == "CREATING" || status == "RUNNING" ||
         status == "TERMINATING";
}

std::vector<kernel_session> kernels_on(front_ptr self, const agent_id& agent) {
  std::vector<kernel_session> out;
  for (auto& [id, e] : self->state.sessions)
    if (may_run_kernels(e.status))
      for (auto& k : e.spec.kernels)
        if (k.agent == agent)
          out.push_back({k.id, id});
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

void link_dependencies(front_ptr self) {
  auto& d = self->state.deps;
  self->link_to(d.store);
  self->link_to(d.launcher);
  self->link_to(d.hub);
  self->link_to(d.registry);
  // Session actors are linked too: one ending is not the manager ending (an abnormal end is
  // logged). Any other exit (a part of the manager, or whoever stops the manager) stops it.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::normal)
      return;
    for (auto& entry : self->state.sessions)
      if (entry.second.actor && entry.second.actor.address() == msg.source) {
        self->state.log->error("the actor of session {} ended: {}", entry.first,
                               caf::to_string(msg.reason));
        entry.second.actor = nullptr;
        return;
      }
    self->quit(msg.reason);
  });
}

manager_front_actor::behavior_type manager_front(front_ptr self, manager_settings settings,
                                                 front_deps deps) {
  auto& st = self->state;
  // spawn_manager refused an unknown policy already.
  auto policy = sched::policy_from(settings.scheduling_policy);
  st.policy = policy ? *policy : sched::policy::concentrated;
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
        return render_prometheus(self->state.metrics, *self->state.deps.counters);
      },
      [self](front::agent_changed& x) { agent_changed(self, x); },
      [self](const front::session_changed& x) { session_changed(self, x); },
      [self](const front::kernels_on_agent& x) { return kernels_on(self, x.agent); },
  };
}

} // namespace

manager_front_actor spawn_manager_front(caf::actor_system& sys, manager_settings settings,
                                        front_deps deps) {
  return sys.spawn(manager_front, std::move(settings), std::move(deps));
}

} // namespace baikal
