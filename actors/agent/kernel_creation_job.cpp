#include "actors/agent/kernel_creation_job.hpp"

#include <chrono>
#include <utility>

#include "actors/agent/creation_steps.hpp"
#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/kernel_lifecycle.hpp"
#include "actors/agent/kernel_network.hpp"
#include "actors/agent/network_names.hpp"
#include "actors/agent/service_ports.hpp"
#include "actors/kernel/kernel.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/paths/storage_mounts.hpp"

namespace baikal {

namespace {

/// How long a refused host port stays out of the pool: long enough for the next kernels to
/// avoid it, short enough for a port whose holder went away to come back.
constexpr auto refused_port_quarantine = std::chrono::minutes(5);

/// The code a kernel's failed creation answers with: the cause's own when the request or its
/// image is at fault (it would fail the same on any agent), agent_error when this agent is (its
/// engine, disk or runner). The manager places a session again elsewhere only for the latter.
errc creation_error_code(errc cause) {
  switch (cause) {
  case errc::not_found:
  case errc::invalid_argument:
  case errc::too_large:
  case errc::permission_denied:
    return cause;
  default:
    return errc::agent_error;
  }
}

auto logger() {
  return log::get("agent");
}

} // namespace

kernel_creation_job::kernel_creation_job(agent_pointer self, kernel_creation_config cfg,
                                         cluster_info cluster, done_fn done,
                                         std::shared_ptr<image_check> image,
                                         creation_purpose purpose)
    : self_(self), cfg_(std::move(cfg)), cluster_(std::move(cluster)), done_(std::move(done)),
      image_(image ? std::move(image) : std::make_shared<image_check>()), purpose_(purpose) {}

kernel_event_header kernel_creation_job::header(const char* reason) const {
  return {cfg_.kernel, cfg_.session, self_->state.settings.id, reason};
}

bool kernel_creation_job::move(creation_event e) {
  auto next = next_creation_phase(phase_, e);
  if (!next) {
    logger()->debug("kernel {}: a step's answer came while {}; ignored", cfg_.kernel,
                    to_string(phase_));
    return false;
  }
  auto now = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  logger()->debug("kernel {}: {} took {:.1f} ms; {} after {:.1f} ms in all", cfg_.kernel,
                  to_string(phase_), ms(now - phase_began_), to_string(*next), ms(now - began_));
  phase_ = *next;
  phase_began_ = now;
  return true;
}

void kernel_creation_job::write_scratch() {
  dirs_ = scratch_dirs_of(self_->state.settings.scratch_root, cfg_.kernel);
  auto job = shared_from_this();
  auto table = service_table_json(cfg_.image);
  auto user = kernel_user_of(cfg_, self_->state.settings);
  // Filled on the worker: the mounts with their sources resolved, which the container binds.
  auto mounts = std::make_shared<std::vector<mount_spec>>(cfg_.mounts);
  run_blocking_then<bool>(
      self_,
      [d = dirs_, table, c = cluster_, user, mounts,
       root = self_->state.settings.storage_root]() -> caf::expected<bool> {
        auto ready = prepare_mounts(root, *mounts, mount_owner{user.uid, user.gid});
        if (!ready)
          return std::move(ready.error());
        *mounts = std::move(*ready);
        return prepare_scratch(d, table, c, user);
      },
      [job, mounts](bool) {
        job->cfg_.mounts = std::move(*mounts);
        job->scratch_written({});
      },
      [job](caf::error& err) { job->scratch_written(err); });
}

void kernel_creation_job::scratch_written(caf::error err) {
  scratch_ = err ? scratch_state::failed : scratch_state::written;
  scratch_error_ = std::move(err);
  if (phase_ == creation_phase::failed) // its clean-up waited for this
    return remove_scratch_dirs();
  if (phase_ != creation_phase::waiting_for_scratch)
    return;
  if (scratch_ == scratch_state::failed)
    return fail(lifecycle_reason::failed_to_create, scratch_error_);
  if (move(creation_event::scratch_written))
    prepare_network();
}

void kernel_creation_job::start() {
  report(kernel_preparing_event{header()});
  switch (next_image_step(*image_, cfg_.image)) {
  case image_step::fail:
    return fail(lifecycle_reason::failed_to_create, image_->inspect_error);
  case image_step::missing:
    return fail(lifecycle_reason::failed_to_create,
                make_error(errc::not_found, "image " + cfg_.image.canonical +
                                                " is not on this agent and auto-pull is none"));
  case image_step::ready:
    move(creation_event::image_ready);
    return map_ports();
  case image_step::pull:
    break;
  }
  move(creation_event::pull_needed);
  report(kernel_pulling_event{header(cfg_.image.canonical.c_str())});
  auto job = shared_from_this();
  pull_once(self_, image_, cfg_.image, [job](const caf::error& err) {
    if (err)
      job->fail(lifecycle_reason::failed_to_create, err);
    else if (job->move(creation_event::pulled))
      job->map_ports();
  });
}

void kernel_creation_job::map_ports() {
  report(kernel_creating_event{header()});
  services_ = service_ports_of_table(service_table_json(cfg_.image));
  if (auto err = take_host_ports())
    return fail(lifecycle_reason::failed_to_create, err);
  if (scratch_ == scratch_state::writing) {
    move(creation_event::ports_mapped_early);
    return; // scratch_written goes on
  }
  if (scratch_ == scratch_state::failed)
    return fail(lifecycle_reason::failed_to_create, scratch_error_);
  move(creation_event::ports_mapped);
  prepare_network();
}

caf::error kernel_creation_job::take_host_ports() {
  auto& pool = self_->state.ports;
  pool.release_expired(port_pool::clock::now());
  bool host_network = kernel_network_mode(cluster_) == "host";
  auto probe = self_->state.settings.probe_host_ports ? host_port_free : any_port_free;
  return map_service_ports(services_, pool, host_network, probe);
}

/// The kernel's network made (the agent's kernel network) and fenced off the host before the
/// container exists, so that no code of the kernel ever runs unconfined.
void kernel_creation_job::prepare_network() {
  auto job = shared_from_this();
  if (std::exchange(renew_network_, false)) {
    auto& id = self_->state.kernel_network_id;
    auto target = id.empty() ? std::string{kernel_network_name} : id;
    logger()->warn("kernel {}: removing the kernel network {} to make it anew", cfg_.kernel,
                   target);
    // Removing fails while other kernels are attached to it; it is then prepared as it is.
    self_
        ->request(self_->state.docker, self_->state.settings.timeouts.engine_call,
                  docker::network_delete(target))
        .then([job](const docker_reply&) { job->prepare_network(); },
              [job](caf::error& err) {
                logger()->warn("kernel {}: the kernel network stays: {}", job->cfg_.kernel,
                               message_of(err));
                job->prepare_network();
              });
    id.clear();
    return;
  }
  prepare_kernel_network(self_, kernel_network_mode(cluster_), [job](caf::error err) {
    if (err)
      return job->fail(lifecycle_reason::failed_to_create, err);
    if (job->move(creation_event::network_ready))
      job->create_container();
  });
}

void kernel_creation_job::create_container() {
  auto job = shared_from_this();
  auto spec = make_container_spec(cfg_, cluster_, self_->state.settings, services_);
  // By id: the name may be carried by a second network that kernels keep from being removed.
  if (spec.network_mode == kernel_network_name && !self_->state.kernel_network_id.empty())
    spec.network_mode = self_->state.kernel_network_id;
  self_
      ->request(self_->state.docker, self_->state.settings.timeouts.container_create,
                docker::container_create(spec))
      .then(
          [job](const docker_reply& reply) {
            auto id = docker::parse_id(reply.body);
            if (!id)
              return job->fail(lifecycle_reason::failed_to_create, id.error());
            job->container_id_ = *id;
            if (job->move(creation_event::container_created))
              job->start_container();
          },
          [job](caf::error& err) {
            if (job->retry_with_network_again(err))
              return;
            if (!job->retry_with_other_ports(err))
              job->fail(lifecycle_reason::failed_to_create, err);
          });
}

void kernel_creation_job::start_container() {
  auto job = shared_from_this();
  self_
      ->request(self_->state.docker, self_->state.settings.timeouts.container_start,
                docker::container_start(container_id_))
      .then(
          [job](const docker_reply&) {
            if (job->move(creation_event::container_started))
              job->wait_runner();
          },
          [job](caf::error& err) {
            if (job->retry_with_network_again(err))
              return;
            if (!job->retry_with_other_ports(err))
              job->fail(lifecycle_reason::failed_to_create,
                        explain_start_failure(err, job->self_->state.settings));
          });
}

void kernel_creation_job::wait_runner() {
  auto job = shared_from_this();
  auto socket = dirs_.runner_socket();
  auto timeout = self_->state.settings.kernel_start_timeout;
  run_blocking_then<bool>(
      self_, [socket, timeout] { return wait_for_runner(socket, timeout); },
      [job](bool) {
        if (job->move(creation_event::runner_ready))
          job->finish();
      },
      [job](caf::error& err) { job->fail(lifecycle_reason::failed_to_start, err); });
}

void kernel_creation_job::finish() {
  quarantine_refused_ports();
  if (purpose_ == creation_purpose::warm_container) {
    auto info = make_kernel_info(cfg_, self_->state.settings, container_id_);
    info.service_ports = services_;
    release_creation_slot(self_);
    return done_(info);
  }
  auto info = serve_created_kernel(self_, cfg_, cluster_, container_id_, services_);
  logger()->info("kernel {} of session {} is running in container {}", cfg_.kernel, cfg_.session,
                 container_id_.substr(0, 12));
  release_creation_slot(self_);
  done_(info);
}

/// The refused ports go to quarantine: the next kernels skip them for a while.
void kernel_creation_job::quarantine_refused_ports() {
  auto until = port_pool::clock::now() + refused_port_quarantine;
  for (auto port : refused_ports_)
    self_->state.ports.quarantine(port, until);
  refused_ports_.clear();
}

void kernel_creation_job::remove_container() {
  self_
      ->request(self_->state.docker, self_->state.settings.timeouts.container_remove,
                docker::container_remove(container_id_, true, true))
      .then([](const docker_reply&) {},
            [id = cfg_.kernel](caf::error& err) {
              logger()->warn("could not remove the container of failed kernel {}: {}", id,
                             message_of(err));
            });
}

void kernel_creation_job::remove_scratch_dirs() {
  remove_scratch_later(self_, cfg_.kernel);
}

void kernel_creation_job::fail(const char* reason, const caf::error& cause) {
  auto was = phase_;
  if (!move(creation_event::failure))
    return;
  auto why = message_of(cause);
  logger()->warn("kernel {} {} while {}: {}", cfg_.kernel, reason, to_string(was), why);
  if (!container_id_.empty())
    remove_container();
  if (scratch_ != scratch_state::writing) // else scratch_written removes them
    remove_scratch_dirs();
  release_service_ports(services_, self_->state.ports);
  services_.clear();
  quarantine_refused_ports();
  self_->state.creating.erase(cfg_.kernel);
  report(kernel_terminated_event{header(reason), caf::none});
  release_creation_slot(self_);
  done_(make_error(creation_error_code(code_of(cause)),
                   "kernel " + cfg_.kernel + " " + reason + ": " + why));
}

} // namespace baikal
