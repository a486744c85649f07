#include "actors/agent/image_check.hpp"

#include <chrono>

#include "messages/errors.hpp"

namespace baikal {

namespace {

void inspected(const std::shared_ptr<image_check>& check, std::optional<docker::image_info> local,
               caf::error err) {
  check->inspected = true;
  check->local = std::move(local);
  check->inspect_error = std::move(err);
  for (auto& waiter : std::exchange(check->inspect_waiters, {}))
    waiter();
}

void pulled(const std::shared_ptr<image_check>& check, caf::error err) {
  check->pull = err ? image_check::pull_phase::failed : image_check::pull_phase::done;
  check->pull_error = err;
  for (auto& waiter : std::exchange(check->pull_waiters, {}))
    waiter(err);
}

} // namespace

bool needs_pull(const image_config& image, const std::optional<docker::image_info>& local) {
  if (image.is_local || image.auto_pull == auto_pull_policy::none)
    return false;
  if (!local)
    return true;
  if (image.auto_pull == auto_pull_policy::digest && !image.digest.empty())
    return local->id != image.digest;
  return false;
}

image_step next_image_step(const image_check& check, const image_config& image) {
  if (check.inspect_error)
    return image_step::fail;
  // Pulled by another kernel of the call: what a fresh inspect would have found.
  if (check.pull == image_check::pull_phase::done)
    return image_step::ready;
  if (needs_pull(image, check.local))
    return image_step::pull;
  return check.local ? image_step::ready : image_step::missing;
}

void when_inspected(agent_pointer self, const std::shared_ptr<image_check>& check,
                    const std::string& canonical, std::function<void()> then) {
  if (check->inspected)
    return then();
  check->inspect_waiters.push_back(std::move(then));
  if (check->inspect_sent)
    return;
  check->inspect_sent = true;
  self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                docker::image_inspect(canonical))
      .then(
          [check](const docker_reply& reply) {
            auto info = docker::parse_image_info(reply.body);
            inspected(check, info ? std::optional<docker::image_info>{*info} : std::nullopt, {});
          },
          [check](caf::error& err) {
            if (code_of(err) == errc::not_found)
              inspected(check, std::nullopt, {});
            else
              inspected(check, std::nullopt, std::move(err));
          });
}

void pull_once(agent_pointer self, const std::shared_ptr<image_check>& check,
               const image_config& image, std::function<void(const caf::error&)> done) {
  switch (check->pull) {
  case image_check::pull_phase::done:
  case image_check::pull_phase::failed:
    return done(check->pull_error);
  case image_check::pull_phase::running:
    check->pull_waiters.push_back(std::move(done));
    return;
  case image_check::pull_phase::none:
    break;
  }
  check->pull = image_check::pull_phase::running;
  check->pull_waiters.push_back(std::move(done));
  std::optional<docker::registry_credentials> creds;
  if (!image.registry.username.empty())
    creds = credentials_for(image.registry);
  docker_stream_call pull{
      docker::image_pull(image.canonical, creds), docker_stream_mode::lines, 0, {}};
  // The pull a job would make, so it has the pull jobs' limit (docker.image-pull-timeout).
  auto limit = std::chrono::milliseconds{
      static_cast<int64_t>(self->state.settings.image_pull_timeout * 1000)};
  self->request(self->state.docker, limit, std::move(pull))
      .then([check](const docker_reply&) { pulled(check, {}); },
            [check](caf::error& err) { pulled(check, std::move(err)); });
}

} // namespace baikal
