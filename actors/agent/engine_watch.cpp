#include "actors/agent/engine_watch.hpp"

#include <random>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using watch_check_atom = caf::atom_constant<caf::atom("ew_check")>;

/// The watch is a Docker listener (the event stream) that also gets its own timer.
using engine_watch_actor =
    docker_listener_actor::extend<caf::reacts_to<watch_check_atom, uint64_t>>;

enum class engine_phase : uint8_t { unknown, answers, away };

struct watch_state {
  engine_watch_settings settings;
  docker_actor docker;
  engine_observer_actor agent;
  engine_phase phase = engine_phase::unknown;
  uint64_t timer = 0;  ///< the number of the one timer that counts
  uint64_t stream = 0; ///< the tag of the current event stream; 0: none open
  uint64_t streams_opened = 0;
  bool pinging = false; ///< a ping is out
  uint32_t failures = 0;
  uint64_t outages = 0;
  std::chrono::steady_clock::time_point stream_opened;
  std::minstd_rand rng{std::random_device{}()};
  static inline const char* name = "baikal.engine_watch";
};

using watch_ptr = engine_watch_actor::stateful_pointer<watch_state>;

auto logger() {
  return log::get("agent");
}

void schedule_check(watch_ptr self, std::chrono::milliseconds delay) {
  auto t = ++self->state.timer;
  self->delayed_send(self, delay, watch_check_atom::value, t);
}

void check(watch_ptr self);

void stream_ended(watch_ptr self, uint64_t tag, const std::string& why) {
  auto& st = self->state;
  if (tag != st.stream)
    return;
  st.stream = 0;
  logger()->debug("the Docker engine's event stream ended: {}", why);
  // An engine that keeps closing fresh streams would otherwise make this loop: pause then.
  if (std::chrono::steady_clock::now() - st.stream_opened < std::chrono::seconds{1})
    schedule_check(self, st.settings.backoff.cap);
  else
    check(self);
}

void open_stream(watch_ptr self) {
  auto& st = self->state;
  auto tag = ++st.streams_opened;
  st.stream = tag;
  st.stream_opened = std::chrono::steady_clock::now();
  docker_stream_call req{kernel_container_events(st.settings.agent), docker_stream_mode::lines, tag,
                         caf::actor_cast<docker_listener_actor>(self)};
  self->request(st.docker, caf::infinite, std::move(req))
      .then([self, tag](const docker_reply&) { stream_ended(self, tag, "closed by the engine"); },
            [self, tag](caf::error& err) { stream_ended(self, tag, message_of(err)); });
}

void answered(watch_ptr self) {
  auto& st = self->state;
  st.failures = 0;
  bool back = st.phase != engine_phase::answers;
  if (st.phase == engine_phase::away)
    logger()->info("the Docker engine answers again (outage {})", st.outages);
  st.phase = engine_phase::answers;
  if (back || st.stream == 0) {
    open_stream(self);
    // Back, or events may have been missed while no stream was open: the agent compares.
    self->send(st.agent, engine_answers{st.outages});
  }
  schedule_check(self, st.settings.check_interval);
}

void went_away(watch_ptr self, const std::string& problem) {
  auto& st = self->state;
  if (st.phase != engine_phase::away) {
    st.phase = engine_phase::away;
    ++st.outages;
    logger()->warn("the Docker engine does not answer: {}", problem);
    self->send(st.agent, engine_lost{problem});
    if (st.stream != 0) // a hung engine keeps a dead stream open
      self->send(st.docker, docker_cancel_stream{caf::actor_cast<docker_listener_actor>(self),
                                                 std::exchange(st.stream, 0)});
  }
  std::uniform_real_distribution<double> unit{0.0, 1.0};
  schedule_check(self, backoff_delay(st.settings.backoff, st.failures++, unit(st.rng)));
}

void check(watch_ptr self) {
  auto& st = self->state;
  if (st.pinging)
    return;
  st.pinging = true;
  auto call = docker::ping();
  call.timeout_ms = static_cast<uint32_t>(st.settings.ping_timeout.count());
  self->request(st.docker, st.settings.ping_timeout + std::chrono::seconds{1}, std::move(call))
      .then(
          [self](const docker_reply&) {
            self->state.pinging = false;
            answered(self);
          },
          [self](caf::error& err) {
            self->state.pinging = false;
            went_away(self, message_of(err));
          });
}

void on_stream_event(watch_ptr self, const docker_stream_event& piece) {
  auto& st = self->state;
  if (piece.tag != st.stream)
    return;
  auto e = docker::parse_event(piece.data);
  if (!e)
    return;
  if (auto k = kernel_event_of(*e))
    self->send(st.agent, std::move(*k));
}

engine_watch_actor::behavior_type engine_watch(watch_ptr self, engine_watch_settings settings,
                                               docker_actor docker, engine_observer_actor agent) {
  auto& st = self->state;
  st.settings = std::move(settings);
  st.docker = std::move(docker);
  st.agent = std::move(agent);
  self->monitor(st.agent);
  self->set_down_handler([self](const caf::down_msg& dm) {
    if (dm.source == self->state.agent.address())
      self->quit();
  });
  check(self);
  return {
      [self](const docker_stream_event& piece) { on_stream_event(self, piece); },
      [self](watch_check_atom, uint64_t t) {
        if (t == self->state.timer)
          check(self);
      },
  };
}

} // namespace

void spawn_engine_watch(caf::actor_system& sys, engine_watch_settings settings, docker_actor docker,
                        engine_observer_actor agent) {
  sys.spawn(engine_watch, std::move(settings), std::move(docker), std::move(agent));
}

docker_call kernel_container_events(const agent_id& agent) {
  return docker::events({{"type", {"container"}},
                         {"event", {"die", "oom", "destroy"}},
                         {"label", {"ai.backend.agent-id=" + agent}}});
}

std::optional<kernel_container_event> kernel_event_of(const docker::docker_event& e) {
  if (e.type != "container" || (e.action != "die" && e.action != "oom" && e.action != "destroy"))
    return std::nullopt;
  auto kernel = e.attributes.find("ai.backend.kernel-id");
  if (kernel == e.attributes.end() || kernel->second.empty())
    return std::nullopt;
  return kernel_container_event{e.action, e.id, kernel->second};
}

} // namespace baikal
