#include "actors/agent/image_pull_job.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <rapidjson/document.h>

#include "actors/agent/image_ops.hpp"
#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/pull_failure.hpp"
#include "actors/agent/reconnect_backoff.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using pull_retry_atom = caf::atom_constant<caf::atom("pull_rtry")>;

/// A listener of the pull's progress that also gets its own retry timer.
using pull_job_actor = docker_listener_actor::extend<caf::reacts_to<pull_retry_atom>>;

using clock = std::chrono::steady_clock;

struct pull_job_state {
  image_pull_setup setup;
  clock::time_point last_progress{};
  clock::time_point started{};
  clock::time_point deadline{};
  uint32_t attempts = 0;
  static inline const char* name = "baikal.image_pull_job";
};

using job_pointer = pull_job_actor::stateful_pointer<pull_job_state>;

/// Between attempts: 1 s doubling up to 30 s (no jitter: one job per image and agent).
constexpr backoff_policy pull_backoff{std::chrono::milliseconds{1000},
                                      std::chrono::milliseconds{30000}, 2.0, 0.0};

void report(job_pointer self, image_pull_event::phase phase, std::string message) {
  auto& s = self->state.setup;
  if (s.events)
    self->send(s.events, image_pull_event{phase, s.agent, s.image, s.job_id, std::move(message), 0,
                                          0, wall_clock_ms()});
}

std::chrono::milliseconds left(job_pointer self) {
  auto d = self->state.deadline - clock::now();
  return std::max(std::chrono::milliseconds{0},
                  std::chrono::duration_cast<std::chrono::milliseconds>(d));
}

void pull_failed(job_pointer self, caf::error& err) {
  auto& st = self->state;
  auto& ref = st.setup.config.canonical;
  auto kind = classify_pull_failure(err);
  auto delay = backoff_delay(pull_backoff, st.attempts - 1, 0.5);
  if (retry_pull(kind, st.attempts, st.setup.retries, delay, left(self))) {
    log::get("agent")->warn("pull of {} (attempt {}) failed: {}; trying again in {} ms", ref,
                            st.attempts, message_of(err), delay.count());
    report(self, image_pull_event::phase::progress,
           "attempt " + std::to_string(st.attempts) + " failed (" + message_of(err) +
               "); trying again in " + std::to_string(delay.count() / 1000) + " s");
    self->delayed_send(self, delay, pull_retry_atom::value);
    return;
  }
  auto seconds = std::chrono::duration<double>(clock::now() - st.started).count();
  auto text = pull_failure_message(ref, kind, message_of(err), st.attempts, seconds);
  log::get("agent")->warn("{}", text);
  report(self, image_pull_event::phase::failed, text);
  self->quit();
}

void pull_attempt(job_pointer self) {
  auto& st = self->state;
  auto& s = st.setup;
  ++st.attempts;
  std::optional<docker::registry_credentials> creds;
  if (!s.config.registry.username.empty())
    creds = credentials_for(s.config.registry);
  auto call = docker::image_pull(s.config.canonical, creds);
  // The Docker actor cancels the pull at the deadline: the engine then drops what it fetched.
  auto limit = std::max(left(self), std::chrono::milliseconds{1});
  call.timeout_ms = static_cast<uint32_t>(std::min<int64_t>(limit.count(), UINT32_MAX));
  docker_stream_call stream{std::move(call), docker_stream_mode::lines, 0,
                            caf::actor_cast<docker_listener_actor>(self)};
  self->request(s.docker, limit + std::chrono::seconds{5}, std::move(stream))
      .then(
          [self](const docker_reply&) {
            log::get("agent")->info("pulled image {}", self->state.setup.config.canonical);
            report(self, image_pull_event::phase::finished, "pulled");
            self->quit();
          },
          [self](caf::error& err) { pull_failed(self, err); });
}

void pull(job_pointer self) {
  auto& st = self->state;
  auto& s = st.setup;
  report(self, image_pull_event::phase::started, "pulling " + s.config.canonical);
  log::get("agent")->info("pulling image {} (job {})", s.config.canonical, s.job_id);
  st.started = clock::now();
  st.deadline = st.started + std::chrono::milliseconds(static_cast<int64_t>(s.timeout_s * 1000));
  pull_attempt(self);
}

void check_local(job_pointer self) {
  auto& s = self->state.setup;
  self->request(s.docker, s.inspect_timeout, docker::image_inspect(s.config.canonical))
      .then(
          [self](const docker_reply& reply) {
            auto info = docker::parse_image_info(reply.body);
            auto local = info ? std::optional<docker::image_info>{*info} : std::nullopt;
            if (needs_pull(self->state.setup.config, local))
              return pull(self);
            report(self, image_pull_event::phase::finished, "image already exists");
            self->quit();
          },
          [self](caf::error& err) {
            if (code_of(err) == errc::not_found && needs_pull(self->state.setup.config, {}))
              return pull(self);
            report(self, image_pull_event::phase::failed, message_of(err));
            self->quit();
          });
}

pull_job_actor::behavior_type pull_job(job_pointer self, image_pull_setup setup) {
  self->state.setup = std::move(setup);
  // The agent monitors it and forgets it; a failed pull is reported like any other.
  stop_alone_on_exception(self, "the pull of " + self->state.setup.image,
                          [self](const caf::error& err) {
                            report(self, image_pull_event::phase::failed, message_of(err));
                          });
  check_local(self);
  return {
      [self](pull_retry_atom) { pull_attempt(self); },
      [self](const docker_stream_event& piece) {
        uint64_t current = 0;
        uint64_t total = 0;
        std::string status;
        if (!parse_pull_progress(piece.data, current, total, status))
          return;
        // At most a few progress events a second: subscribers draw bars, not logs.
        auto now = std::chrono::steady_clock::now();
        if (now - self->state.last_progress < std::chrono::milliseconds(250))
          return;
        self->state.last_progress = now;
        auto& s = self->state.setup;
        if (s.events)
          self->send(s.events, image_pull_event{image_pull_event::phase::progress, s.agent, s.image,
                                                s.job_id, status, current, total, wall_clock_ms()});
      },
  };
}

} // namespace

bool parse_pull_progress(const std::string& line, uint64_t& current, uint64_t& total,
                         std::string& status) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject())
    return false;
  if (doc.HasMember("status") && doc["status"].IsString())
    status = doc["status"].GetString();
  if (!doc.HasMember("progressDetail") || !doc["progressDetail"].IsObject())
    return !status.empty();
  auto& detail = doc["progressDetail"];
  if (detail.HasMember("current") && detail["current"].IsUint64())
    current = detail["current"].GetUint64();
  if (detail.HasMember("total") && detail["total"].IsUint64())
    total = detail["total"].GetUint64();
  return true;
}

docker_listener_actor spawn_image_pull_job(caf::actor_system& sys, image_pull_setup setup) {
  return sys.spawn(pull_job, std::move(setup));
}

} // namespace baikal
