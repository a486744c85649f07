#include "actors/manager/agent_registry.hpp"

#include <algorithm>
#include <map>

#include <caf/node_id.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/registration_challenges.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using clock = std::chrono::steady_clock;

/// An agent asks for a challenge right before it registers (within its connect timeout).
constexpr std::chrono::seconds challenge_ttl{60};
constexpr size_t max_outstanding_challenges = 4096;

struct registered_agent {
  agent_record record;
  agent_actor handle; ///< invalid until the agent registers (after a manager restart)
  clock::time_point last_seen;
  /// A reconciliation is on its way to this handle: an agent back from a partition often
  /// beats and registers again at once, and one reconciliation covers both.
  agent_actor reconciling;
};

struct registry_state {
  registry_settings cfg;
  registry_deps deps;
  manager_front_actor front;
  std::map<agent_id, registered_agent> agents;
  registration_challenges challenges{challenge_ttl, max_outstanding_challenges};
  std::shared_ptr<spdlog::logger> log = log::get("registry");
  static inline const char* name = "agent_registry";
};

using registry_ptr = registry_actor::stateful_pointer<registry_state>;

void store_agent(registry_ptr self, const agent_record& rec) {
  self->request(self->state.deps.store, self->state.cfg.timeouts.store_agent_write,
                repo::upsert_agent{rec})
      .then([](ack) {},
            [self, id = rec.id](caf::error& err) {
              self->state.log->error("cannot store agent {}: {}", id, message_of(err));
            });
}

void tell_front(registry_ptr self, const registered_agent& a) {
  if (self->state.front)
    self->send(self->state.front, front::agent_changed{a.record, a.handle});
}

/// The agent is reachable again: tell everyone, then reconcile its kernels.
void became_alive(registry_ptr self, registered_agent& a) {
  auto& st = self->state;
  store_agent(self, a.record);
  op::update_agent_directory change;
  change.joined[a.record.id] = a.handle;
  caf::anon_send(st.deps.launcher, std::move(change));
  tell_front(self, a);
  if (!st.front || (a.reconciling && a.reconciling == a.handle))
    return;
  auto id = a.record.id;
  auto handle = a.handle;
  a.reconciling = handle;
  auto done = [self, id, handle] {
    auto i = self->state.agents.find(id);
    if (i != self->state.agents.end() && i->second.reconciling == handle)
      i->second.reconciling = nullptr;
  };
  self->request(st.front, st.cfg.timeouts.internal_call, front::kernels_on_agent{id})
      .then(
          [self, id, handle, done](std::vector<kernel_session>& kernels) {
            self->state.log->info("reconciling agent {} with {} kernel(s)", id, kernels.size());
            self->request(handle, self->state.cfg.timeouts.agent_sync,
                          op::sync_kernel_registry{std::move(kernels)})
                .then([done](ack) { done(); },
                      [self, id, done](caf::error& err) {
                        self->state.log->warn("reconciling agent {} failed: {}", id,
                                              message_of(err));
                        done();
                      });
          },
          [self, id, done](caf::error& err) {
            self->state.log->error("cannot list the kernels of agent {}: {}", id, message_of(err));
            done();
          });
}

/// A silent agent keeps its handle (its next heartbeat makes it ALIVE again); one whose handle
/// went down loses it (it has to register again).
void became_lost(registry_ptr self, registered_agent& a, const std::string& why, bool handle_gone) {
  auto& st = self->state;
  st.log->warn("agent {} is LOST: {}", a.record.id, why);
  a.record.status = agent_status::lost;
  if (handle_gone)
    a.handle = nullptr;
  store_agent(self, a.record);
  caf::anon_send(st.deps.launcher, op::update_agent_directory{{}, {a.record.id}});
  tell_front(self, a);
}

registration_challenge on_challenge(registry_ptr self) {
  auto challenge = cluster::make_registration_challenge();
  self->state.challenges.add(challenge, clock::now());
  return registration_challenge{std::move(challenge)};
}

/// Nothing without identity checks, or when `x` proves over a challenge of this registry that
/// its sender holds a certificate naming x.id; permission_denied with the reason otherwise.
caf::error check_identity(registry_ptr self, const op::register_agent& x) {
  auto& st = self->state;
  if (!st.cfg.identity)
    return {};
  bool fresh = st.challenges.redeem(x.identity.challenge, clock::now());
  auto err = st.cfg.identity->verify(x.id, x.identity);
  if (!err && !fresh)
    err = make_error(errc::permission_denied,
                     "it answered no challenge of this manager, or one already used or older "
                     "than " +
                         std::to_string(challenge_ttl.count()) + " s");
  if (!err)
    return {};
  auto sender = self->current_sender();
  st.log->warn("refused the registration of agent {} (serving on {}, node {}): {}", x.id, x.addr,
               sender ? caf::to_string(sender->node()) : "unknown", message_of(err));
  return make_error(errc::permission_denied, "the manager refused the registration of agent " +
                                                 x.id + ": " + message_of(err));
}

caf::result<agent_registration> on_register(registry_ptr self, op::register_agent& x) {
  auto& st = self->state;
  if (auto err = check_identity(self, x))
    return err;
  auto& a = st.agents[x.id];
  bool rejoin = static_cast<bool>(a.handle);
  bool rejoin_with_same = rejoin && a.handle == x.handle;
  a.record = agent_record{x.id,       x.addr,          agent_status::alive, x.scaling_group,
                          x.capacity, wall_clock_ms(), x.unhealthy};
  a.handle = x.handle;
  a.last_seen = clock::now();
  if (a.handle && !rejoin_with_same)
    self->monitor(a.handle);
  st.log->info("agent {} {} at {} (scaling group {}){}", x.id, rejoin ? "rejoined" : "joined",
               x.addr, x.scaling_group, x.unhealthy.empty() ? "" : "; unhealthy: " + x.unhealthy);
  became_alive(self, a);
  return agent_registration{st.deps.events, st.cfg.heartbeat_interval.count(), true};
}

heartbeat_reply on_heartbeat(registry_ptr self, op::agent_heartbeat& x) {
  auto& st = self->state;
  auto i = st.agents.find(x.id);
  // Without a handle the manager cannot call the agent: it has to register again.
  if (i == st.agents.end() || !i->second.handle)
    return heartbeat_reply{false};
  auto& a = i->second;
  a.last_seen = clock::now();
  a.record.last_heartbeat_ms = wall_clock_ms();
  bool capacity_changed = !x.capacity.empty() && x.capacity != a.record.capacity;
  if (capacity_changed)
    a.record.capacity = x.capacity;
  bool health_changed = x.unhealthy != a.record.unhealthy;
  if (health_changed) {
    if (x.unhealthy.empty())
      st.log->info("agent {} is healthy again", x.id);
    else
      st.log->warn("agent {} is unhealthy, no new kernels go there: {}", x.id, x.unhealthy);
    a.record.unhealthy = x.unhealthy;
  }
  if (a.record.status != agent_status::alive) {
    st.log->info("agent {} is ALIVE again", x.id);
    a.record.status = agent_status::alive;
    became_alive(self, a);
  } else if (capacity_changed || health_changed) {
    // Only a change is worth the front's time: a thousand agents beat every interval, and the
    // front answers last-heartbeat questions from here (list_agent_records).
    tell_front(self, a);
  }
  return heartbeat_reply{true};
}

std::vector<agent_record> records_of(const registry_state& st) {
  std::vector<agent_record> out;
  out.reserve(st.agents.size());
  for (auto& entry : st.agents)
    out.push_back(entry.second.record);
  return out;
}

/// How often silent agents are looked for: at most a second after its deadline passed, an agent
/// is LOST (the heartbeat interval may be longer).
std::chrono::milliseconds liveness_period(const registry_settings& cfg) {
  return std::min(cfg.heartbeat_interval, std::chrono::milliseconds{1000});
}

void check_liveness(registry_ptr self) {
  auto& st = self->state;
  auto now = clock::now();
  for (auto& [id, a] : st.agents)
    if (a.record.status == agent_status::alive && is_overdue(a.last_seen, now, st.cfg))
      became_lost(self, a,
                  "no heartbeat for " + std::to_string(st.cfg.missed_heartbeats_until_lost) +
                      " intervals",
                  false);
  self->delayed_send(self, liveness_period(st.cfg), reg::check_liveness{});
}

void on_down(registry_ptr self, const caf::down_msg& dm) {
  for (auto& [id, a] : self->state.agents)
    // An older handle of a rejoined agent going down changes nothing.
    if (a.handle && a.handle.address() == dm.source) {
      became_lost(self, a, "its connection ended", true);
      return;
    }
}

registry_actor::behavior_type agent_registry(registry_ptr self, registry_settings cfg,
                                             registry_deps deps) {
  auto& st = self->state;
  st.cfg = cfg;
  for (auto& rec : deps.known) {
    auto& a = st.agents[rec.id];
    a.record = rec;
    a.record.status = agent_status::lost; // until it registers with this manager
    a.last_seen = clock::now();
  }
  deps.known.clear();
  st.deps = std::move(deps);
  // Linked to the front (manager_front.cpp): a registry failure stops the manager process.
  stop_alone_on_exception(self, "the agent registry");
  self->set_down_handler([self](caf::down_msg& dm) { on_down(self, dm); });
  self->delayed_send(self, liveness_period(st.cfg), reg::check_liveness{});
  return {
      [self](op::get_registration_challenge&) { return on_challenge(self); },
      [self](op::register_agent& x) { return on_register(self, x); },
      [self](op::agent_heartbeat& x) { return on_heartbeat(self, x); },
      [self](reg::lookup_agents& x) {
        agent_directory out;
        for (auto& id : x.agents) {
          auto i = self->state.agents.find(id);
          if (i != self->state.agents.end() && i->second.handle &&
              i->second.record.status == agent_status::alive)
            out[id] = i->second.handle;
        }
        return out;
      },
      [self](reg::list_agent_records) { return records_of(self->state); },
      [self](reg::check_liveness) { check_liveness(self); },
      [self](reg::set_front& x) {
        self->state.front = std::move(x.front);
        for (auto& entry : self->state.agents)
          tell_front(self, entry.second);
      },
  };
}

} // namespace

bool is_overdue(clock::time_point last_seen, clock::time_point now, const registry_settings& cfg) {
  return now - last_seen > cfg.heartbeat_interval * cfg.missed_heartbeats_until_lost;
}

registry_actor spawn_agent_registry(caf::actor_system& sys, registry_settings cfg,
                                    registry_deps deps) {
  return sys.spawn(agent_registry, std::move(cfg), std::move(deps));
}

} // namespace baikal
