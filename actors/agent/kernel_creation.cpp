#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/kernel_lifecycle.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <utility>

#include "actors/agent/blocking_task.hpp"
#include "actors/agent/creation_steps.hpp"
#include "actors/agent/kernel.hpp"
#include "actors/agent/kernel_network.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/kernel_supervision.hpp"
#include "actors/agent/service_ports.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using kernel_done = std::function<void(caf::expected<kernel_info>)>;

/// How often a kernel is created again with other host ports after the engine refused to
/// publish the ones the agent picked (something the probe cannot see holds them).
constexpr int max_port_retries = 3;

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

/// One kernel's way through the creation steps; each step is one asynchronous request.
struct creation_job : std::enable_shared_from_this<creation_job> {
  agent_pointer self;
  kernel_creation_config cfg;
  cluster_info cluster;
  kernel_done done;
  std::shared_ptr<image_check> image; ///< shared with the call's kernels of the same image
  scratch_dirs dirs;
  enum class step_state { running, done, failed };
  step_state scratch = step_state::running;
  caf::error scratch_error;
  bool waiting_for_scratch = false; ///< in its slot, the scratch directories not yet written
  bool failed = false;              ///< scratch_written then removes what it wrote
  std::string container_id;
  std::vector<service_port> services; ///< with the host ports taken for them
  /// Host ports the engine refused to publish, kept out of the pool until the job ends (then
  /// quarantined for the kernels after it).
  std::vector<uint16_t> refused_ports;
  int port_retries = 0;
  int network_retries = 0;

  kernel_event_header header(const char* reason = "") const {
    return {cfg.kernel, cfg.session, self->state.settings.id, reason};
  }

  /// In its creation slot, with its image inspected.
  void start() {
    emit(self, kernel_preparing_event{header()});
    switch (next_image_step(*image, cfg.image)) {
    case image_step::fail:
      return fail(lifecycle_reason::failed_to_create, image->inspect_error);
    case image_step::missing:
      return fail(lifecycle_reason::failed_to_create,
                  make_error(errc::not_found, "image " + cfg.image.canonical +
                                                  " is not on this agent and auto-pull is none"));
    case image_step::ready:
      return prepare();
    case image_step::pull:
      break;
    }
    emit(self, kernel_pulling_event{header(cfg.image.canonical.c_str())});
    auto job = shared_from_this();
    pull_once(self, image, cfg.image, [job](const caf::error& err) {
      if (err)
        job->fail(lifecycle_reason::failed_to_create, err);
      else
        job->prepare();
    });
  }

  /// Before the slot, while the image is inspected: the scratch directories are local work
  /// no engine call waits for, so they need not hold a creation slot.
  void write_scratch() {
    dirs = scratch_dirs_of(self->state.settings.scratch_root, cfg.kernel);
    auto job = shared_from_this();
    auto table = service_table_json(cfg.image);
    auto user = kernel_user_of(cfg, self->state.settings);
    run_blocking_then<bool>(
        self, [d = dirs, table, c = cluster, user] { return prepare_scratch(d, table, c, user); },
        [job](bool) { job->scratch_written({}); },
        [job](caf::error& err) { job->scratch_written(err); });
  }

  void scratch_written(caf::error err) {
    scratch = err ? step_state::failed : step_state::done;
    scratch_error = std::move(err);
    if (failed) // failed meanwhile: its clean-up waited for this
      return remove_scratch_dirs();
    if (waiting_for_scratch)
      after_scratch();
  }

  void prepare() {
    emit(self, kernel_creating_event{header()});
    services = service_ports_of_table(service_table_json(cfg.image));
    if (auto err = map_ports())
      return fail(lifecycle_reason::failed_to_create, err);
    if (scratch == step_state::running) {
      waiting_for_scratch = true;
      return;
    }
    after_scratch();
  }

  caf::error map_ports() {
    auto& pool = self->state.ports;
    pool.release_expired(port_pool::clock::now());
    bool host_network = kernel_network_mode(cluster) == "host";
    auto probe = self->state.settings.probe_host_ports ? host_port_free : any_port_free;
    return map_service_ports(services, pool, host_network, probe);
  }

  /// After a failed container create or start: whether to try again with other host ports.
  bool retry_with_other_ports(const caf::error& err) {
    if (!is_host_port_conflict(err) || pool_ports_of(services).empty())
      return false; // not ours to fix (host networking publishes the container's own ports)
    if (port_retries >= max_port_retries) {
      fail(lifecycle_reason::failed_to_create,
           make_error(errc::unavailable,
                      "the engine refused the host ports of " + std::to_string(port_retries + 1) +
                          " attempts as already taken (last: " + message_of(err) +
                          "); free ports in container.port-range or widen it"));
      return true;
    }
    ++port_retries;
    auto taken = pool_ports_of(services);
    std::string listed;
    for (auto port : taken)
      listed += (listed.empty() ? "" : ",") + std::to_string(port);
    log::get("agent")->warn("kernel {}: the engine could not publish host port(s) {} ({}); "
                            "retrying with other ports ({} of {})",
                            cfg.kernel, listed, message_of(err), port_retries, max_port_retries);
    // The refused ports stay taken in the pool, so the next mapping picks others.
    refused_ports.insert(refused_ports.end(), taken.begin(), taken.end());
    for (auto& sp : services)
      sp.host_ports.clear();
    if (container_id.empty()) {
      remap_and_create();
      return true;
    }
    // The failed container holds the kernel's name: remove it before creating the next.
    auto job = shared_from_this();
    auto id = std::exchange(container_id, std::string{});
    self->request(self->state.docker, std::chrono::minutes(1),
                  docker::container_remove(id, true, true))
        .then([job](const docker_reply&) { job->remap_and_create(); },
              [job, id](caf::error& err) {
                job->container_id = id; // fail tries the remove once more
                job->fail(lifecycle_reason::failed_to_create, err);
              });
    return true;
  }

  void remap_and_create() {
    if (auto err = map_ports())
      return fail(lifecycle_reason::failed_to_create, err);
    create_container();
  }

  /// The refused ports go to quarantine: the next kernels skip them for a while.
  void quarantine_refused_ports() {
    auto until = port_pool::clock::now() + refused_port_quarantine;
    for (auto port : refused_ports)
      self->state.ports.quarantine(port, until);
    refused_ports.clear();
  }

  void after_scratch() {
    waiting_for_scratch = false;
    if (scratch == step_state::failed)
      return fail(lifecycle_reason::failed_to_create, scratch_error);
    prepare_network();
  }

  /// The kernel's network made (the agent's kernel network) and fenced off the host before
  /// the container exists, so that no code of the kernel ever runs unconfined.
  void prepare_network() {
    auto job = shared_from_this();
    prepare_kernel_network(self, kernel_network_mode(cluster), [job](caf::error err) {
      if (err)
        return job->fail(lifecycle_reason::failed_to_create, err);
      job->create_container();
    });
  }

  void create_container() {
    auto job = shared_from_this();
    auto spec = make_container_spec(cfg, cluster, self->state.settings, services);
    self->request(self->state.docker, std::chrono::minutes(5), docker::container_create(spec))
        .then(
            [job](const docker_reply& reply) {
              auto id = docker::parse_id(reply.body);
              if (!id)
                return job->fail(lifecycle_reason::failed_to_create, id.error());
              job->container_id = *id;
              job->start_container();
            },
            [job](caf::error& err) {
              // The kernel network made twice meanwhile (kernel_network.hpp): once more.
              if (names_ambiguous_network(err) && job->network_retries++ == 0)
                return job->prepare_network();
              if (!job->retry_with_other_ports(err))
                job->fail(lifecycle_reason::failed_to_create, err);
            });
  }

  void start_container() {
    auto job = shared_from_this();
    self->request(self->state.docker, std::chrono::minutes(2),
                  docker::container_start(container_id))
        .then([job](const docker_reply&) { job->wait_runner(); },
              [job](caf::error& err) {
                if (!job->retry_with_other_ports(err))
                  job->fail(lifecycle_reason::failed_to_create,
                            explain_start_failure(err, job->self->state.settings));
              });
  }

  void wait_runner() {
    auto job = shared_from_this();
    auto socket = dirs.runner_socket();
    auto timeout = self->state.settings.kernel_start_timeout;
    run_blocking_then<bool>(
        self, [socket, timeout] { return wait_for_runner(socket, timeout); },
        [job](bool) { job->finish(); },
        [job](caf::error& err) { job->fail(lifecycle_reason::failed_to_start, err); });
  }

  void finish() {
    quarantine_refused_ports();
    auto info = make_kernel_info(cfg, self->state.settings, container_id);
    info.service_ports = services;
    serve_kernel(self, info, cluster);
    self->state.creating.erase(cfg.kernel);
    log::get("agent")->info("kernel {} of session {} is running in container {}", cfg.kernel,
                            cfg.session, container_id.substr(0, 12));
    emit(self, kernel_started_event{header(), info});
    persist_registry(self);
    release_creation_slot(self);
    done(info);
  }

  void remove_scratch_dirs() {
    run_blocking_then<bool>(
        self,
        [d = dirs] {
          remove_scratch(d);
          return true;
        },
        [](bool) {}, [](caf::error&) {});
  }

  /// Cleans up what was made (container, scratch), reports the destroy and the failure.
  void fail(const char* reason, const caf::error& cause) {
    auto why = message_of(cause);
    log::get("agent")->warn("kernel {} {}: {}", cfg.kernel, reason, why);
    if (!container_id.empty())
      self->request(self->state.docker, std::chrono::minutes(1),
                    docker::container_remove(container_id, true, true))
          .then([](const docker_reply&) {},
                [id = cfg.kernel](caf::error& err) {
                  log::get("agent")->warn("could not remove the container of failed kernel {}: {}",
                                          id, message_of(err));
                });
    failed = true;
    if (scratch != step_state::running) // else scratch_written removes them
      remove_scratch_dirs();
    release_service_ports(services, self->state.ports);
    services.clear();
    quarantine_refused_ports();
    self->state.creating.erase(cfg.kernel);
    emit(self, kernel_terminated_event{header(reason), caf::none});
    release_creation_slot(self);
    done(make_error(creation_error_code(code_of(cause)),
                    "kernel " + cfg.kernel + " " + reason + ": " + why));
  }
};

/// Collects the outcome of every kernel of one create_kernels call.
struct creation_batch {
  guarded_promise<created_kernels> promise;
  std::vector<caf::optional<kernel_info>> results;
  std::vector<std::string> failures;
  /// The failures' common code; agent_error when they differ.
  caf::optional<errc> code;
  size_t pending = 0;

  void record(size_t index, caf::expected<kernel_info> res) {
    if (res) {
      results[index] = std::move(*res);
    } else {
      failures.push_back(message_of(res.error()));
      auto c = code_of(res.error());
      code = !code || *code == c ? c : errc::agent_error;
    }
    if (--pending > 0)
      return;
    if (!failures.empty()) {
      std::string text = std::to_string(failures.size()) + " of " + std::to_string(results.size()) +
                         " kernels failed: ";
      for (size_t i = 0; i < failures.size(); ++i)
        text += (i ? "; " : "") + failures[i];
      promise.deliver(make_error(code ? *code : errc::agent_error, text));
      return;
    }
    created_kernels out;
    for (auto& r : results)
      out.kernels.push_back(std::move(*r));
    promise.deliver(std::move(out));
  }
};

void acquire_creation_slot(agent_pointer self, std::function<void()> start) {
  auto& st = self->state;
  if (st.creations_running < std::max<uint32_t>(1, st.settings.kernel_creation_concurrency)) {
    ++st.creations_running;
    start();
  } else {
    st.creations_waiting.push_back(std::move(start));
  }
}

} // namespace

void release_creation_slot(agent_pointer self) {
  auto& st = self->state;
  if (!st.creations_waiting.empty()) {
    auto next = std::move(st.creations_waiting.front());
    st.creations_waiting.pop_front();
    next(); // the slot passes to the next creation
    return;
  }
  if (st.creations_running > 0)
    --st.creations_running;
}

caf::result<created_kernels> create_kernels(agent_pointer self, op::create_kernels req) {
  if (auto err = checks::check_op(req, self->state.settings.input_limits))
    return err;
  if (req.kernel_ids.size() != req.configs.size() || req.configs.empty())
    return make_error(errc::invalid_argument,
                      "create_kernels needs one config per kernel id (got " +
                          std::to_string(req.kernel_ids.size()) + " ids and " +
                          std::to_string(req.configs.size()) + " configs)");
  auto batch = std::make_shared<creation_batch>();
  std::map<std::string, std::shared_ptr<image_check>> images; // one check per distinct image
  batch->promise = make_guarded_promise<created_kernels>(self);
  batch->results.resize(req.configs.size());
  batch->pending = req.configs.size();
  for (size_t i = 0; i < req.configs.size(); ++i) {
    auto& cfg = req.configs[i];
    cfg.kernel = req.kernel_ids[i];
    if (cfg.session.empty())
      cfg.session = req.session;
    if (auto known = self->state.kernels.find(cfg.kernel); known != self->state.kernels.end()) {
      batch->record(i, known->second.info); // idempotent: never a second container
      continue;
    }
    if (self->state.creating.count(cfg.kernel)) {
      batch->record(i, make_error(errc::conflict, "kernel " + cfg.kernel +
                                                      " is already being created on this agent"));
      continue;
    }
    auto& image = images[cfg.image.canonical];
    if (!image)
      image = std::make_shared<image_check>();
    create_one_kernel(
        self, std::move(cfg), req.cluster,
        [batch, i](caf::expected<kernel_info> res) { batch->record(i, std::move(res)); }, image);
  }
  return batch->promise;
}

void create_one_kernel(agent_pointer self, kernel_creation_config cfg, cluster_info cluster,
                       std::function<void(caf::expected<kernel_info>)> done,
                       std::shared_ptr<image_check> image) {
  self->state.creating.insert(cfg.kernel);
  auto job = std::make_shared<creation_job>();
  job->self = self;
  job->cfg = std::move(cfg);
  job->cluster = std::move(cluster);
  job->done = std::move(done);
  job->image = image ? std::move(image) : std::make_shared<image_check>();
  job->write_scratch();
  // The slot is taken only once the image is inspected: the inspect holds no slot.
  when_inspected(self, job->image, job->cfg.image.canonical,
                 [self, job] { acquire_creation_slot(self, [job] { job->start(); }); });
}

} // namespace baikal
