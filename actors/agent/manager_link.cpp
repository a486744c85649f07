#include "actors/agent/manager_link.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/agent/agent_capacity.hpp"
#include "actors/agent/manager_link_state.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/remote_connect.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// How long the hardware report may take (gather_hwinfo probes the host; not a setting).
constexpr auto hwinfo_timeout = std::chrono::minutes(1);

auto logger() {
  return log::get("link");
}

const host_port& current_manager(manager_link_ptr self) {
  auto& st = self->state;
  return st.settings.managers.at(st.current % st.settings.managers.size());
}

std::string manager_name(manager_link_ptr self) {
  return "the manager at " + cluster::to_string(current_manager(self));
}

double seconds(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / 1000.0;
}

// -- events --------------------------------------------------------------------------------------

uint64_t seq_of(const caf::message& numbered) {
  return numbered.get_as<numbered_event>(0).seq;
}

/// Sends a numbered event to the hub: as it is, kept until a heartbeat confirms it, when the
/// hub takes numbered events; else the plain event.
void send_to_hub(manager_link_ptr self, caf::message numbered) {
  auto& st = self->state;
  auto hub = caf::actor_cast<caf::actor>(st.hub);
  if (!st.numbered) {
    caf::anon_send(hub, numbered.get_as<numbered_event>(0).event);
    return;
  }
  caf::anon_send(hub, numbered);
  st.unconfirmed.push_back(std::move(numbered));
}

/// Events up to `seq` were sent before a heartbeat that was answered: they arrived.
void confirm(manager_link_ptr self, uint64_t seq) {
  auto& q = self->state.unconfirmed;
  while (!q.empty() && seq_of(q.front()) <= seq)
    q.pop_front();
}

/// The connection broke: what it may have lost goes back ahead of what waits in the buffer.
void requeue_unconfirmed(manager_link_ptr self) {
  auto& st = self->state;
  if (st.unconfirmed.empty())
    return;
  auto n = st.unconfirmed.size();
  std::vector<caf::message> events{std::make_move_iterator(st.unconfirmed.begin()),
                                   std::make_move_iterator(st.unconfirmed.end())};
  st.unconfirmed.clear();
  auto dropped = st.buffer.requeue(std::move(events));
  logger()->info("{} event(s) sent before the connection broke are sent again once joined{}", n,
                 dropped ? " (" + std::to_string(dropped) + " dropped: the buffer is full)" : "");
}

void flush_events(manager_link_ptr self) {
  for (auto& event : self->state.buffer.drain())
    send_to_hub(self, std::move(event));
}

void forward_event(manager_link_ptr self, caf::message event) {
  auto& st = self->state;
  auto numbered =
      caf::make_message(numbered_event{st.settings.id, st.stream, ++st.last_seq, std::move(event)});
  if (st.phase == link_phase::joined && st.hub) {
    send_to_hub(self, std::move(numbered));
    return;
  }
  if (st.buffer.push(std::move(numbered)) && !st.warned_drop) {
    st.warned_drop = true;
    logger()->warn("event buffer full ({} events) while away from {}: dropping the oldest",
                   st.buffer.capacity(), manager_name(self));
  }
}

// -- joining -------------------------------------------------------------------------------------

/// Drops the connection state and schedules the next attempt after the backoff delay.
void fail(manager_link_ptr self, const std::string& what) {
  auto& st = self->state;
  bool was_joined = st.phase == link_phase::joined;
  if (st.registry)
    self->demonitor(st.registry.address());
  st.registry = nullptr;
  st.hub = nullptr;
  requeue_unconfirmed(self);
  if (was_joined) {
    st.warned_drop = false;
    st.dropped_at_outage = st.buffer.dropped();
  }
  ++st.epoch;
  std::uniform_real_distribution<double> unit{0.0, 1.0};
  auto delay = backoff_delay(st.settings.backoff, st.failures++, unit(st.rng));
  st.phase = link_phase::waiting;
  auto failed = manager_name(self);
  // The next attempt goes to the next manager: the leader may have changed.
  st.current = (st.current + 1) % st.settings.managers.size();
  logger()->warn("{} {}: {}; retrying {}in {:.1f}s", was_joined ? "lost" : "cannot join", failed,
                 what, st.settings.managers.size() > 1 ? "with " + manager_name(self) + " " : "",
                 seconds(delay));
  self->delayed_send(self, delay, link_connect_atom::value, st.epoch);
}

void on_registered(manager_link_ptr self, uint64_t epoch, agent_registration& reg) {
  auto& st = self->state;
  if (epoch != st.epoch)
    return;
  if (!reg.events) {
    fail(self, "the registry answered without an event hub");
    return;
  }
  st.hub = std::move(reg.events);
  st.numbered = reg.numbered_events;
  st.heartbeat_interval =
      std::chrono::milliseconds{std::max<int64_t>(reg.heartbeat_interval_ms, 10)};
  st.phase = link_phase::joined;
  st.failures = 0;
  auto buffered = st.buffer.size();
  auto dropped = st.buffer.dropped() - st.dropped_at_outage;
  logger()->info("{} {} as agent {} (heartbeat every {:.1f}s); delivering {} buffered events{}",
                 st.ever_joined ? "rejoined" : "joined", manager_name(self), st.settings.id,
                 seconds(st.heartbeat_interval), buffered,
                 dropped ? " (" + std::to_string(dropped) + " dropped while away)" : "");
  st.ever_joined = true;
  st.dropped_at_outage = st.buffer.dropped();
  flush_events(self);
  // The first beat at once: after a partition the registration's answer may come late, and a
  // registry that hears nothing for a few intervals takes the agent for LOST again.
  self->send(self, link_beat_atom::value, st.epoch);
}

void send_registration(manager_link_ptr self, identity_proof proof) {
  auto& st = self->state;
  auto epoch = st.epoch;
  // Before the manager can answer: it calls the agent (reconciliation) as soon as it has the
  // registration, maybe before this link hears back.
  if (st.settings.followed)
    st.settings.followed->follow(st.registry.node());
  op::register_agent req{st.settings.id, st.addr,  st.settings.scaling_group, st.capacity,
                         st.hwinfo,      st.agent, std::move(proof),          st.unhealthy};
  self->request(st.registry, st.settings.connect_timeout, std::move(req))
      .then([self, epoch](agent_registration& reg) { on_registered(self, epoch, reg); },
            [self, epoch](caf::error& err) {
              if (epoch == self->state.epoch)
                fail(self, "registration failed: " + message_of(err));
            });
}

/// Registers, with TLS after proving over a challenge of the registry which agent this is.
void register_agent(manager_link_ptr self) {
  auto& st = self->state;
  if (!st.settings.identity)
    return send_registration(self, {});
  auto epoch = st.epoch;
  self->request(st.registry, st.settings.connect_timeout,
                op::get_registration_challenge{st.settings.id})
      .then(
          [self, epoch](registration_challenge& c) {
            auto& state = self->state;
            if (epoch != state.epoch)
              return;
            auto proof = state.settings.identity->prove(c.challenge, state.settings.id);
            if (!proof)
              return fail(self, message_of(proof.error()));
            send_registration(self, std::move(*proof));
          },
          [self, epoch](caf::error& err) {
            if (epoch == self->state.epoch)
              fail(self, "registration failed: " + message_of(err));
          });
}

void on_connected(manager_link_ptr self, uint64_t epoch, caf::expected<agent_registry_actor> r) {
  auto& st = self->state;
  if (epoch != st.epoch)
    return;
  if (!r) {
    fail(self, message_of(r.error()));
    return;
  }
  st.registry = std::move(*r);
  // The registry's node going away (or the registry itself) ends this link.
  self->monitor(st.registry);
  register_agent(self);
}

void connect(manager_link_ptr self) {
  auto& st = self->state;
  st.phase = link_phase::connecting;
  auto epoch = st.epoch;
  logger()->debug("connecting to {}", manager_name(self));
  cluster::connect_remote<agent_registry_actor>(
      self, st.settings.tls, current_manager(self), st.settings.connect_timeout, "the manager",
      [self, epoch](caf::expected<agent_registry_actor> r) {
        on_connected(self, epoch, std::move(r));
      });
}

void beat(manager_link_ptr self, uint64_t epoch) {
  auto& st = self->state;
  if (epoch != st.epoch || st.phase != link_phase::joined)
    return;
  // Missing three beats' worth of answers means the manager (or the path to it) is gone even
  // when TCP has not noticed yet.
  auto limit = std::max(st.heartbeat_interval * 3, std::chrono::milliseconds{1000});
  auto sent_up_to = st.last_seq; // the events sent before this heartbeat
  self->request(st.registry, limit, op::agent_heartbeat{st.settings.id, st.capacity, st.unhealthy})
      .then(
          [self, epoch, sent_up_to](heartbeat_reply& reply) {
            auto& state = self->state;
            if (epoch != state.epoch)
              return;
            if (reply.known) {
              confirm(self, sent_up_to);
              self->delayed_send(self, state.heartbeat_interval, link_beat_atom::value, epoch);
              return;
            }
            logger()->warn("{} does not know agent {} (restarted?); registering again",
                           manager_name(self), state.settings.id);
            state.phase = link_phase::connecting;
            state.hub = nullptr;
            // A restarted manager may not have applied what its predecessor received last.
            requeue_unconfirmed(self);
            register_agent(self);
          },
          [self, epoch](caf::error& err) {
            if (epoch == self->state.epoch)
              fail(self, "heartbeat failed: " + message_of(err));
          });
}

/// The agent's health changed: a heartbeat outside the cycle tells the manager now. Its answer
/// changes nothing (the cycle's next beat handles a failure).
void health_changed(manager_link_ptr self, std::string unhealthy) {
  auto& st = self->state;
  if (unhealthy == st.unhealthy)
    return;
  st.unhealthy = std::move(unhealthy);
  if (st.phase != link_phase::joined || !st.registry)
    return; // the next registration carries it
  self->request(st.registry, std::max(st.heartbeat_interval * 3, std::chrono::milliseconds{1000}),
                op::agent_heartbeat{st.settings.id, st.capacity, st.unhealthy})
      .then([](heartbeat_reply&) {}, [](caf::error&) {});
}

/// Learns the host's resources from the agent, then connects.
void start(manager_link_ptr self, agent_actor agent, std::string addr) {
  auto& st = self->state;
  if (st.phase != link_phase::idle)
    return;
  st.agent = std::move(agent);
  st.addr = std::move(addr);
  st.phase = link_phase::connecting;
  // Registering a dead agent would show the manager a node it can never call.
  self->monitor(st.agent);
  logger()->info("agent {} joins {}{}", st.settings.id, manager_name(self),
                 st.settings.tls.enabled() ? " over TLS" : "");
  auto epoch = st.epoch;
  self->request(st.agent, hwinfo_timeout, op::gather_hwinfo{})
      .then(
          [self, epoch](hardware_info& hw) {
            auto& state = self->state;
            state.hwinfo = std::move(hw);
            state.capacity = agent_capacity(state.hwinfo, state.settings.capacity);
            if (epoch == state.epoch)
              connect(self);
          },
          [self, epoch](caf::error& err) {
            auto& state = self->state;
            logger()->warn("no hardware information ({}); registering configured slots only",
                           message_of(err));
            state.capacity = agent_capacity({}, state.settings.capacity);
            if (epoch == state.epoch)
              connect(self);
          });
}

template <class Event> auto forwarder(manager_link_ptr self) {
  return [self](Event& e) { forward_event(self, caf::make_message(std::move(e))); };
}

manager_link_actor::behavior_type manager_link(manager_link_ptr self,
                                               manager_link_settings settings) {
  self->state.buffer = event_buffer{settings.buffer_capacity};
  self->state.settings = std::move(settings);
  stop_alone_on_exception(self, "the manager link of agent " + self->state.settings.id);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (st.agent && dm.source == st.agent.address()) {
      logger()->error("agent {} ended ({}); its link to {} stops", st.settings.id,
                      self->system().render(dm.reason), manager_name(self));
      return self->quit(dm.reason);
    }
    if (st.registry && dm.source == st.registry.address())
      fail(self, "its agent registry or the connection to it went down (" +
                     self->system().render(dm.reason) + ")");
  });
  return {
      [self](link_join_atom, agent_actor& agent, std::string& addr) {
        start(self, std::move(agent), std::move(addr));
      },
      [self](link_connect_atom, uint64_t epoch) {
        if (epoch == self->state.epoch && self->state.phase == link_phase::waiting)
          connect(self);
      },
      [self](link_beat_atom, uint64_t epoch) { beat(self, epoch); },
      [self](link_scaling_group_atom, std::string& group) {
        self->state.settings.scaling_group = std::move(group);
      },
      [self](link_health_atom, std::string& unhealthy) {
        health_changed(self, std::move(unhealthy));
      },
      forwarder<kernel_preparing_event>(self),
      forwarder<kernel_pulling_event>(self),
      forwarder<kernel_creating_event>(self),
      forwarder<kernel_started_event>(self),
      forwarder<kernel_terminated_event>(self),
      forwarder<do_agent_resource_check_event>(self),
      forwarder<agent_terminated_event>(self),
      forwarder<image_pull_event>(self),
      forwarder<execution_event>(self),
      forwarder<batch_result_event>(self),
  };
}

} // namespace

manager_link_actor spawn_manager_link(caf::actor_system& sys, manager_link_settings settings) {
  if (settings.managers.empty())
    settings.managers.push_back(host_port{"127.0.0.1", 6100});
  return sys.spawn(manager_link, std::move(settings));
}

void start_manager_link(const manager_link_actor& link, const agent_actor& agent,
                        std::string addr) {
  caf::anon_send(link, link_join_atom::value, agent, std::move(addr));
}

void set_link_scaling_group(const manager_link_actor& link, std::string group) {
  caf::anon_send(link, link_scaling_group_atom::value, std::move(group));
}

void set_link_health(const manager_link_actor& link, std::string unhealthy) {
  caf::anon_send(link, link_health_atom::value, std::move(unhealthy));
}

} // namespace baikal
