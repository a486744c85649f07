#include "actors/agent/image_ops.hpp"

#include <chrono>
#include <memory>

#include "actors/agent/image_pull_job.hpp"
#include "actors/supervision/fan_in.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// Records one image's outcome in the purge's answer.
void record_purge(fan_in<purge_images_resp>& purge, size_t index,
                  caf::optional<std::string> error) {
  purge.gathered().responses[index].error = std::move(error);
  purge.answered();
}

std::string host_of_url(const std::string& url) {
  auto start = url.find("://");
  auto host = start == std::string::npos ? url : url.substr(start + 3);
  return host.substr(0, host.find('/'));
}

} // namespace

docker::registry_credentials credentials_for(const image_registry& registry) {
  docker::registry_credentials creds;
  creds.username = registry.username;
  creds.password = registry.password;
  creds.server = registry.url.empty() ? registry.name : host_of_url(registry.url);
  return creds;
}

pull_jobs check_and_pull(agent_pointer self, const op::check_and_pull& req) {
  auto& st = self->state;
  pull_jobs out;
  for (auto& [image, config] : req.images) {
    if (auto running = st.pulls.find(image); running != st.pulls.end()) {
      out.jobs[image] = running->second.job_id;
      continue;
    }
    auto job_id = "pull-" + st.settings.id + "-" + std::to_string(++st.pulls_started);
    auto handle = spawn_image_pull_job(
        self->home_system(),
        image_pull_setup{job_id, image, config, st.settings.id, st.docker, st.events,
                         st.settings.image_pull_timeout, st.settings.image_pull_retries,
                         st.settings.timeouts.engine_call});
    self->monitor(handle);
    st.pulls[image] = pull_entry{job_id, handle};
    out.jobs[image] = job_id;
  }
  return out;
}

caf::result<purge_images_resp> purge_images(agent_pointer self, purge_images_req req) {
  if (auto err = checks::check_op(op::purge_images{req}, self->state.settings.input_limits))
    return err;
  if (req.images.empty())
    return make_error(errc::invalid_argument,
                      "purge_images needs at least one image name; the list was empty");
  purge_images_resp resp;
  for (auto& image : req.images)
    resp.responses.push_back({image, caf::none});
  auto promise = make_guarded_promise<purge_images_resp>(self);
  auto purge = make_fan_in(std::move(resp), [promise](purge_images_resp& done) mutable {
    promise.deliver(std::move(done));
  });
  for (size_t i = 0; i < req.images.size(); ++i) {
    auto image = req.images[i];
    purge->expect();
    self->request(self->state.docker, self->state.settings.timeouts.image_delete,
                  docker::image_delete(image, req.force, req.noprune))
        .then(
            [=](const docker_reply&) {
              log::get("agent")->info("purged image {}", image);
              record_purge(*purge, i, caf::none);
            },
            [=](caf::error& err) {
              log::get("agent")->warn("could not purge image {}: {}", image, message_of(err));
              record_purge(*purge, i, message_of(err));
            });
  }
  purge->release();
  return promise;
}

caf::result<ack> push_image(agent_pointer self, const op::push_image& req) {
  if (req.image.is_local)
    return ack{};
  auto ref = canonical_of(req.image);
  auto call = docker::image_push(ref, credentials_for(req.registry));
  // The Docker actor cancels the push at its deadline; the request timeout is a backstop.
  auto limit = std::chrono::milliseconds(req.timeout ? static_cast<int64_t>(*req.timeout * 1000)
                                                     : int64_t{24} * 3600 * 1000);
  if (limit.count() < 1)
    limit = std::chrono::milliseconds(1);
  call.timeout_ms = static_cast<uint32_t>(std::min<int64_t>(limit.count(), UINT32_MAX));
  auto promise = make_guarded_promise<ack>(self);
  log::get("agent")->info("pushing {} to {}", ref, req.registry.name);
  // As a stream, so a failure reported inside the 200 answer is an error.
  docker_stream_call stream{std::move(call), docker_stream_mode::lines, 0, {}};
  self->request(self->state.docker, limit + std::chrono::seconds(5), std::move(stream))
      .then(
          [=](const docker_reply&) mutable {
            log::get("agent")->info("pushed {}", ref);
            promise.deliver(ack{});
          },
          [=](caf::error& err) mutable {
            auto why = code_of(err) == errc::timeout
                           ? "did not finish within " + std::to_string(limit.count()) + " ms"
                           : message_of(err);
            log::get("agent")->warn("push of {} failed: {}", ref, why);
            promise.deliver(make_error(errc::runtime_error, "push of " + ref + " failed: " + why));
          });
  return promise;
}

} // namespace baikal
