#include "actors/agent/warm_pool_ops.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <utility>

#include "actors/agent/creation_steps.hpp"
#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/kernel_creation_job.hpp"
#include "actors/agent/kernel_lifecycle.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "actors/supervision/fan_in.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using clock = warm_pool::clock;

/// How long a pool that could not make a container waits before it tries again: long enough
/// not to hammer an engine or a disk in trouble, short enough to fill soon after an image
/// arrives.
constexpr auto fill_backoff = std::chrono::seconds(30);

/// The hostname every warm container gets: that of a session's single kernel.
constexpr const char* warm_hostname = "main1";

auto logger() {
  return log::get("agent");
}

double ms_since(clock::time_point t) {
  return std::chrono::duration<double, std::milli>(clock::now() - t).count();
}

void schedule_retry(agent_pointer self) {
  auto next = self->state.warm.next_retry();
  if (!next)
    return;
  auto delay = std::max(clock::duration::zero(), *next - clock::now());
  self->delayed_send(self, delay + std::chrono::milliseconds(10), warm_pool_tick{});
}

/// Removes a warm container and its scratch directory; `then` runs once the engine answered.
void remove_warm_container(agent_pointer self, const std::string& container,
                           const std::string& label, std::function<void()> then = {}) {
  self->request(self->state.docker, self->state.settings.timeouts.container_remove,
                docker::container_remove(container, true, true))
      .then(
          [then](const docker_reply&) {
            if (then)
              then();
          },
          [label, then](caf::error& err) {
            logger()->warn("could not remove warm container {}: {}", label, message_of(err));
            if (then)
              then();
          });
  remove_scratch_later(self, label);
}

/// The session's environment for the warm container's runner (handed_environ.hpp of the
/// runner): NUL-ended entries, renamed into place whole so the runner never reads half.
caf::expected<bool> write_handed_environ(const scratch_dirs& dirs,
                                         const std::vector<std::string>& env) {
  std::string text;
  for (auto& e : env)
    if (e.find('\0') == std::string::npos)
      text += e + '\0';
  auto path = dirs.config + "/" + kernel_paths::environ_file_name;
  auto temp = path + ".new";
  {
    std::ofstream out{temp, std::ios::binary | std::ios::trunc};
    out << text;
    out.flush();
    if (!out)
      return make_error(errc::runtime_error, "cannot write " + temp);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec)
    return make_error(errc::runtime_error, "cannot rename " + temp + ": " + ec.message());
  return true;
}

/// A fill failed: the pool waits before it tries again. A fill that failed before its job
/// started (the image inspect) also gives its creation slot back, at its caller.
void fill_failed(agent_pointer self, const std::string& image, const std::string& label,
                 const caf::error& err) {
  logger()->warn("warm pool of {}: cannot make a container: {}; trying again in {} s", image,
                 message_of(err), std::chrono::seconds(fill_backoff).count());
  self->state.warm.fill_failed(image, label, clock::now(), fill_backoff);
  schedule_retry(self);
}

/// The creation config of a warm container: a single kernel of `image` with nothing of a
/// session's own, under `label`.
kernel_creation_config warm_config(const std::string& image, const std::string& label,
                                   const docker::image_info& info, container_limits limits) {
  kernel_creation_config cfg;
  if (limits.nano_cpus > 0)
    cfg.slots["cpu"] = static_cast<double>(limits.nano_cpus) / 1e9;
  if (limits.memory > 0)
    cfg.slots["mem"] = static_cast<double>(limits.memory);
  cfg.kernel = label;
  cfg.image.canonical = image;
  cfg.image.digest = info.id;
  cfg.image.architecture = info.architecture;
  cfg.image.labels = info.labels;
  cfg.image.auto_pull = auto_pull_policy::none; // the pool fills from images already here
  cfg.cluster_hostname = warm_hostname;
  return cfg;
}

void start_fill_job(agent_pointer self, const std::string& image, const std::string& label,
                    docker::image_info info) {
  auto began = clock::now();
  auto cfg = warm_config(image, label, info, self->state.warm.limits_for(image));
  auto check = std::make_shared<image_check>();
  check->inspect_sent = check->inspected = true;
  check->local = info;
  warm_kernel made;
  made.label = label;
  made.image = image;
  made.image_id = info.id;
  made.runtime = kernel_runtime(cfg.image);
  made.services = service_table_json(cfg.image);
  made.user = kernel_user_of(cfg, self->state.settings);
  made.hostname = kernel_hostname(cfg, kernel_network_mode(cluster_info{}));
  made.limits = limits_of(cfg.slots);
  auto done = [self, made, began](caf::expected<kernel_info> res) mutable {
    if (!res) // the job released its slot and removed what it made
      return fill_failed(self, made.image, made.label, res.error());
    made.container_id = res->container_id;
    made.service_ports = res->service_ports;
    logger()->info("warm container {} of {} is ready in container {} (made in {:.0f} ms)",
                   made.label, made.image, made.container_id.substr(0, 12), ms_since(began));
    self->state.warm.filled(std::move(made));
  };
  auto job =
      std::make_shared<kernel_creation_job>(self, std::move(cfg), cluster_info{}, std::move(done),
                                            std::move(check), creation_purpose::warm_container);
  job->write_scratch();
  job->start();
}

void fill_one(agent_pointer self, const std::string& image) {
  auto label = new_warm_label();
  self->state.warm.filling(image, label);
  self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                docker::image_inspect(image))
      .then(
          [self, image, label](const docker_reply& reply) {
            auto info = docker::parse_image_info(reply.body);
            if (!info) {
              fill_failed(self, image, label, info.error());
              return release_creation_slot(self);
            }
            start_fill_job(self, image, label, std::move(*info));
          },
          [self, image, label](caf::error& err) {
            auto why = code_of(err) == errc::not_found
                           ? make_error(errc::not_found, "the image is not on this agent yet")
                           : err;
            fill_failed(self, image, label, why);
            release_creation_slot(self);
          });
}

/// One kernel taking a warm container: its scratch directory renamed to the kernel's with the
/// session's cluster keys written, its limits set, then served as a kernel made anew.
struct hand_over : std::enable_shared_from_this<hand_over> {
  agent_pointer self;
  warm_kernel warm;
  kernel_creation_config cfg;
  cluster_info cluster;
  std::function<void(caf::expected<kernel_info>)> done;
  std::shared_ptr<image_check> image;
  clock::time_point began = clock::now();
  /// The scratch move and the limits run at once; the kernel is served when both are done,
  /// and created anew once both ended when either failed.
  int steps_left = 2;
  caf::error failure;

  kernel_event_header header() const {
    return {cfg.kernel, cfg.session, self->state.settings.id, ""};
  }

  void move_scratch() {
    auto root = self->state.settings.scratch_root;
    auto from = scratch_dirs_of(root, warm.label);
    auto to = scratch_dirs_of(root, cfg.kernel);
    auto user = kernel_user_of(cfg, self->state.settings);
    auto me = shared_from_this();
    run_blocking_then<bool>(
        self,
        [from, to, services = warm.services, c = cluster, user,
         env = kernel_environ(cfg)]() -> caf::expected<bool> {
          std::error_code ec;
          std::filesystem::rename(from.root, to.root, ec);
          if (ec)
            return make_error(errc::runtime_error, "cannot rename " + from.root + " to " + to.root +
                                                       ": " + ec.message());
          auto ready = prepare_scratch(to, services, c, user);
          if (!ready)
            return ready;
          return write_handed_environ(to, env);
        },
        [me](bool) { me->step_done("scratch moved"); },
        [me](caf::error& err) { me->step_failed(std::move(err)); });
  }

  void step_done(const char* what) {
    logger()->debug("kernel {}: {} after {:.1f} ms of its hand-over", cfg.kernel, what,
                    ms_since(began));
    if (--steps_left == 0)
      failure ? fall_back() : finish();
  }

  void step_failed(caf::error err) {
    if (!failure)
      failure = std::move(err);
    if (--steps_left == 0)
      fall_back();
  }

  void set_limits() {
    auto wanted = limits_of(cfg.slots);
    self->state.warm.remember_limits(warm.image, wanted);
    if (wanted == warm.limits)
      return step_done("limits as made");
    auto me = shared_from_this();
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::container_update(warm.container_id, wanted.nano_cpus, wanted.memory))
        .then([me](const docker_reply&) { me->step_done("limits set"); },
              [me](caf::error& err) { me->step_failed(std::move(err)); });
  }

  void finish() {
    auto& st = self->state;
    if (auto i = st.warm_handing_over.find(warm.label);
        i != st.warm_handing_over.end() && i->second) {
      failure = make_error(errc::agent_error, "its container stopped during the hand-over");
      return fall_back();
    }
    st.warm_handing_over.erase(warm.label);
    auto info = serve_created_kernel(self, cfg, cluster, warm.container_id, warm.service_ports);
    logger()->info("kernel {} of session {} is running in warm container {} of {} (handed over "
                   "in {:.1f} ms)",
                   cfg.kernel, cfg.session, warm.container_id.substr(0, 12), warm.image,
                   ms_since(began));
    // The name says whose it is now; only operators read it, so a refusal is no failure.
    self->request(st.docker, st.settings.timeouts.engine_call,
                  docker::container_rename(warm.container_id, "kernel." + cfg.kernel))
        .then([](const docker_reply&) {},
              [label = warm.label](caf::error& err) {
                logger()->debug("warm container {} keeps its name: {}", label, message_of(err));
              });
    done(info);
    refill_warm_pools(self);
  }

  void fall_back() {
    auto& st = self->state;
    logger()->warn("kernel {} could not take warm container {}: {}; creating it anew", cfg.kernel,
                   warm.label, message_of(failure));
    st.warm_handing_over.erase(warm.label);
    st.creating.erase(cfg.kernel);
    remove_warm_container(self, warm.container_id, warm.label);
    // The rename may have happened: what is under the kernel's name is the warm container's.
    remove_scratch_later(self, cfg.kernel, [me = shared_from_this()] {
      create_one_kernel(me->self, std::move(me->cfg), std::move(me->cluster), std::move(me->done),
                        std::move(me->image), false);
      refill_warm_pools(me->self);
    });
  }
};

} // namespace

void refill_warm_pools(agent_pointer self) {
  auto& st = self->state;
  if (st.warm.empty() || st.phase != agent_phase::serving)
    return;
  auto limit = std::max<uint32_t>(1, st.settings.kernel_creation_concurrency);
  for (auto& image : st.warm.shortfall(clock::now())) {
    // Kernels first: a pool fills only in slots that no kernel waits for.
    if (!st.creations_waiting.empty() || st.creations_running >= limit)
      return;
    ++st.creations_running;
    fill_one(self, image);
  }
}

bool hand_over_warm_kernel(agent_pointer self, kernel_creation_config& cfg, cluster_info& cluster,
                           std::function<void(caf::expected<kernel_info>)>& done,
                           std::shared_ptr<image_check>& image) {
  auto& st = self->state;
  if (st.warm.empty() || st.phase != agent_phase::serving)
    return false;
  std::string why;
  auto warm = st.warm.take(cfg, cluster, st.settings, &why);
  if (!warm) {
    if (!why.empty())
      logger()->debug("kernel {} takes no warm container: {}", cfg.kernel, why);
    return false;
  }
  st.creating.insert(cfg.kernel);
  st.warm_handing_over[warm->label] = false;
  auto job = std::make_shared<hand_over>();
  job->self = self;
  job->warm = std::move(*warm);
  job->cfg = std::move(cfg);
  job->cluster = std::move(cluster);
  job->done = std::move(done);
  job->image = std::move(image);
  emit(self, kernel_preparing_event{job->header()});
  emit(self, kernel_creating_event{job->header()});
  job->move_scratch();
  job->set_limits();
  return true;
}

std::optional<kernel_id> on_warm_container_event(agent_pointer self, const std::string& label,
                                                 const std::string& container) {
  auto& st = self->state;
  if (auto gone = st.warm.drop(label)) {
    logger()->warn("warm container {} of {} stopped while waiting in its pool; removing it", label,
                   gone->image);
    remove_warm_container(self, gone->container_id, gone->label);
    refill_warm_pools(self);
    return std::nullopt;
  }
  if (auto handing = st.warm_handing_over.find(label); handing != st.warm_handing_over.end()) {
    handing->second = true; // its hand-over fails when it ends, and the kernel is made anew
    return std::nullopt;
  }
  for (auto& [id, entry] : st.kernels)
    if (entry.info.container_id == container)
      return id;
  return std::nullopt;
}

void check_warm_containers(agent_pointer self, const std::map<std::string, std::string>& checked,
                           const std::vector<labelled_container>& listed) {
  std::map<std::string, const labelled_container*> by_id;
  for (auto& c : listed)
    by_id[c.id] = &c;
  bool dropped = false;
  for (auto& [label, container] : checked) {
    auto i = by_id.find(container);
    if (i != by_id.end() && i->second->state == "running")
      continue;
    auto gone = self->state.warm.drop(label);
    if (!gone)
      continue; // handed over meanwhile
    logger()->warn("warm container {} of {} is {}; removing it from its pool", label, gone->image,
                   i == by_id.end() ? "gone" : i->second->state);
    if (i != by_id.end())
      remove_warm_container(self, container, label);
    dropped = true;
  }
  if (dropped)
    refill_warm_pools(self);
}

void remove_warm_containers(agent_pointer self, std::function<void()> done) {
  auto removed = make_fan_in(std::move(done));
  for (auto& w : self->state.warm.drain()) {
    removed->expect();
    remove_warm_container(self, w.container_id, w.label, [removed] { removed->answered(); });
  }
  removed->release();
}

} // namespace baikal
