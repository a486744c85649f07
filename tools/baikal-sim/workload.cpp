#include "tools/baikal-sim/workload.hpp"

#include <memory>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/spawn_options.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/errors.hpp"

namespace baikal::sim {

namespace {

using tick_atom = caf::atom_constant<caf::atom("simtick")>;

/// How many requests the driver sends per turn when all arrive at once, so the manager's
/// actors (and the event recorder) get the scheduler between turns.
constexpr size_t burst = 500;
constexpr auto rate_tick = std::chrono::milliseconds{5};

struct driver_state {
  size_t next = 0;
  sim_clock::time_point start;
};

using all_answered_atom = caf::atom_constant<caf::atom("simdone")>;

/// Sends creates [first, last) and records their answers, as one client of the API waits for its
/// own. One actor awaiting a whole burst would cost the run more than the manager: CAF keeps an
/// actor's awaited answers in a flat list that every answer scans and shifts.
caf::behavior client(caf::event_based_actor* self, caf::actor driver, manager_actor front,
                     workload_plan plan, launch_log_ptr log, size_t first, size_t last) {
  auto left = std::make_shared<size_t>(last - first);
  auto answered = [=](size_t done) {
    if (done == plan.sessions)
      self->send(driver, all_answered_atom::value);
    if (--*left == 0)
      self->quit();
  };
  for (auto i = first; i < last; ++i) {
    log->with([&](launch_log& l) { return l.sent[i] = sim_clock::now(); });
    self->request(front, std::chrono::seconds{600}, api::create_session{request_for(plan, i)})
        .then(
            [=](session_id& id) {
              answered(log->with([&](launch_log& l) {
                l.ids[i] = std::move(id);
                return ++l.answered;
              }));
            },
            [=](caf::error& err) {
              answered(log->with([&](launch_log& l) {
                l.refusals[i] = message_of(err);
                return ++l.answered;
              }));
            });
  }
  // Awaited answers keep an actor alive only while it has a behavior; it takes no other message.
  return {[](caf::unit_t) {}};
}

caf::behavior driver(caf::stateful_actor<driver_state>* self, manager_actor front,
                     workload_plan plan, launch_log_ptr log) {
  self->state.start = sim_clock::now();
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) {
        auto& st = self->state;
        size_t due = plan.sessions;
        if (plan.arrival_rate > 0) {
          auto elapsed = std::chrono::duration<double>(sim_clock::now() - st.start).count();
          due = std::min(plan.sessions, static_cast<size_t>(elapsed * plan.arrival_rate) + 1);
        } else {
          due = std::min(plan.sessions, st.next + burst);
        }
        // Linked: stopping the driver stops clients still waiting for answers.
        if (st.next < due)
          self->spawn<caf::linked>(client, caf::actor_cast<caf::actor>(self), front, plan, log,
                                   st.next, due);
        st.next = due;
        if (st.next < plan.sessions) {
          if (plan.arrival_rate > 0)
            self->delayed_send(self, rate_tick, tick_atom::value);
          else
            self->send(self, tick_atom::value);
        }
      },
      [=](all_answered_atom) { self->quit(); },
  };
}

caf::behavior heartbeats(caf::event_based_actor* self, agent_registry_actor registry,
                         std::vector<agent_id> agents, resource_slots capacity,
                         std::chrono::milliseconds interval) {
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) {
        for (auto& id : agents)
          caf::anon_send(registry, op::agent_heartbeat{id, capacity, {}});
        self->delayed_send(self, interval, tick_atom::value);
      },
  };
}

event_sink_actor::behavior_type recorder(launch_log_ptr log, std::unordered_set<agent_id> watched) {
  return {
      [](kernel_preparing_event&) {},
      [](kernel_pulling_event&) {},
      [log, watched](kernel_creating_event& e) {
        if (watched.count(e.header.agent))
          log->with([&](launch_log& l) { return l.placed_on_watched.insert(e.header.session); });
      },
      [log](kernel_started_event& e) {
        auto now = sim_clock::now();
        log->with([&](launch_log& l) {
          auto& s = l.started[e.header.session];
          ++s.count;
          s.last = now;
          return 0;
        });
      },
      [](kernel_terminated_event&) {},
      [](do_agent_resource_check_event&) {},
      [](agent_terminated_event&) {},
      [](image_pull_event&) {},
      [](execution_event&) {},
      [](batch_result_event&) {},
  };
}

} // namespace

session_request request_for(const workload_plan& plan, size_t i) {
  session_request r;
  r.owner = plan.owner;
  r.access_key = "AK-" + plan.owner;
  r.name = "sim-" + std::to_string(i);
  r.image = plan.image;
  // An even spread: session i is multi-kernel when the share's running count steps up at i.
  auto before = static_cast<size_t>(static_cast<double>(i) * plan.multi_kernel_share);
  auto after = static_cast<size_t>(static_cast<double>(i + 1) * plan.multi_kernel_share);
  r.cluster_size = after > before ? plan.cluster_size : 1;
  r.mode = cluster_mode::single_node;
  r.resources = {{"cpu", 1}, {"mem", 1e9}};
  return r;
}

event_sink_actor spawn_event_recorder(caf::actor_system& sys, launch_log_ptr log,
                                      std::unordered_set<agent_id> watched) {
  return sys.spawn(recorder, std::move(log), std::move(watched));
}

caf::actor spawn_driver(caf::actor_system& sys, manager_actor front, workload_plan plan,
                        launch_log_ptr log) {
  return sys.spawn(driver, std::move(front), std::move(plan), std::move(log));
}

caf::actor spawn_heartbeats(caf::actor_system& sys, agent_registry_actor registry,
                            std::vector<agent_id> agents, resource_slots capacity,
                            std::chrono::milliseconds interval) {
  return sys.spawn(heartbeats, std::move(registry), std::move(agents), std::move(capacity),
                   interval);
}

} // namespace baikal::sim
