#include "actors/agent/image_pull_job.hpp"

#include <chrono>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <rapidjson/document.h>

#include "actors/agent/image_ops.hpp"
#include "actors/agent/kernel_creation.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

struct pull_job_state {
  image_pull_setup setup;
  std::chrono::steady_clock::time_point last_progress{};
  static inline const char* name = "baikal.image_pull_job";
};

using job_pointer = docker_listener_actor::stateful_pointer<pull_job_state>;

void report(job_pointer self, image_pull_event::phase phase, std::string message) {
  auto& s = self->state.setup;
  if (s.events)
    self->send(s.events, image_pull_event{phase, s.agent, s.image, s.job_id, std::move(message), 0,
                                          0, wall_clock_ms()});
}

void pull(job_pointer self) {
  auto& s = self->state.setup;
  report(self, image_pull_event::phase::started, "pulling " + s.config.canonical);
  log::get("agent")->info("pulling image {} (job {})", s.config.canonical, s.job_id);
  std::optional<docker::registry_credentials> creds;
  if (!s.config.registry.username.empty())
    creds = credentials_for(s.config.registry);
  auto call = docker::image_pull(s.config.canonical, creds);
  call.timeout_ms = static_cast<uint32_t>(s.timeout_s * 1000);
  docker_stream_call stream{std::move(call), docker_stream_mode::lines, 0, self};
  auto limit = std::chrono::milliseconds(static_cast<int64_t>(s.timeout_s * 1000) + 5000);
  self->request(s.docker, limit, std::move(stream))
      .then(
          [self](const docker_reply&) {
            log::get("agent")->info("pulled image {}", self->state.setup.config.canonical);
            report(self, image_pull_event::phase::finished, "pulled");
            self->quit();
          },
          [self](caf::error& err) {
            log::get("agent")->warn("pull of {} failed: {}", self->state.setup.config.canonical,
                                    message_of(err));
            report(self, image_pull_event::phase::failed, message_of(err));
            self->quit();
          });
}

void check_local(job_pointer self) {
  auto& s = self->state.setup;
  self->request(s.docker, std::chrono::seconds(60), docker::image_inspect(s.config.canonical))
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

docker_listener_actor::behavior_type pull_job(job_pointer self, image_pull_setup setup) {
  self->state.setup = std::move(setup);
  // The agent monitors it and forgets it; a failed pull is reported like any other.
  stop_alone_on_exception(self, "the pull of " + self->state.setup.image,
                          [self](const caf::error& err) {
                            report(self, image_pull_event::phase::failed, message_of(err));
                          });
  check_local(self);
  return {
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
