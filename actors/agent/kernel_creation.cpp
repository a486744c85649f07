#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/kernel_lifecycle.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <unistd.h>

#include "actors/agent/blocking_task.hpp"
#include "actors/agent/kernel.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/service_ports.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/runner/runner_client.hpp"

namespace baikal {

namespace {

using kernel_done = std::function<void(caf::expected<kernel_info>)>;

/// Blocking: the kernel's directories, the runner's service table and the cluster's SSH keys.
caf::expected<bool> prepare_scratch(const scratch_dirs& dirs, const std::string& services,
                                    const cluster_info& cluster, const kernel_user& user) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dirs.work, ec);
  if (!ec)
    fs::create_directories(dirs.config + "/ssh", ec);
  if (ec)
    return make_error(errc::runtime_error,
                      "cannot create scratch directories under " + dirs.root + ": " + ec.message());
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream out{path, std::ios::trunc};
    out << text;
    return static_cast<bool>(out);
  };
  bool ok = write(dirs.config + "/" + kernel_paths::services_file_name, services);
  if (!cluster.ssh.private_key.empty())
    ok = ok && write(dirs.config + "/ssh/id_cluster", cluster.ssh.private_key) &&
         write(dirs.config + "/ssh/id_cluster.pub", cluster.ssh.public_key);
  if (!ok)
    return make_error(errc::runtime_error, "cannot write the kernel config in " + dirs.config);
  // The kernel's user owns its work dir and its cluster keys; an agent that may not chown
  // (not root) leaves the work dir open to all instead.
  bool owned = ::chown(dirs.work.c_str(), user.uid, user.gid) == 0;
  for (auto name : {"/ssh", "/ssh/id_cluster", "/ssh/id_cluster.pub"})
    if (fs::exists(dirs.config + name, ec))
      owned = ::chown((dirs.config + name).c_str(), user.uid, user.gid) == 0 && owned;
  if (!owned)
    fs::permissions(dirs.work, fs::perms::all, ec);
  return true;
}

/// Blocking: waits until the kernel's runner answers health, or the deadline passes.
caf::expected<bool> wait_for_runner(const std::string& socket, double timeout_s) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  caf::error last;
  while (std::chrono::steady_clock::now() < deadline) {
    runner::runner_client client{socket, std::chrono::milliseconds(500)};
    auto health = client.health();
    if (health)
      return true;
    last = std::move(health.error());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return make_error(errc::timeout, "the kernel's runner did not answer within " +
                                     std::to_string(timeout_s) + " s (" + message_of(last) + ")");
}

/// One kernel's way through the creation steps; each step is one asynchronous request.
struct creation_job : std::enable_shared_from_this<creation_job> {
  agent_pointer self;
  kernel_creation_config cfg;
  cluster_info cluster;
  kernel_done done;
  scratch_dirs dirs;
  std::string container_id;
  std::vector<service_port> services; ///< with the host ports taken for them

  kernel_event_header header(const char* reason = "") const {
    return {cfg.kernel, cfg.session, self->state.settings.id, reason};
  }

  void start() {
    dirs = scratch_dirs_of(self->state.settings.scratch_root, cfg.kernel);
    emit(self, kernel_preparing_event{header()});
    auto job = shared_from_this();
    self->request(self->state.docker, std::chrono::seconds(60),
                  docker::image_inspect(cfg.image.canonical))
      .then(
        [job](const docker_reply& reply) {
          auto info = docker::parse_image_info(reply.body);
          job->after_inspect(info ? std::optional<docker::image_info>{*info} : std::nullopt);
        },
        [job](caf::error& err) {
          if (code_of(err) == errc::not_found)
            job->after_inspect(std::nullopt);
          else
            job->fail(lifecycle_reason::failed_to_create, err);
        });
  }

  void after_inspect(const std::optional<docker::image_info>& local) {
    if (!needs_pull(cfg.image, local)) {
      if (!local)
        return fail(lifecycle_reason::failed_to_create,
                    make_error(errc::not_found, "image " + cfg.image.canonical +
                                                  " is not on this agent and auto-pull is none"));
      return prepare();
    }
    emit(self, kernel_pulling_event{header(cfg.image.canonical.c_str())});
    std::optional<docker::registry_credentials> creds;
    if (!cfg.image.registry.username.empty())
      creds = credentials_for(cfg.image.registry);
    docker_stream_call pull{docker::image_pull(cfg.image.canonical, creds),
                            docker_stream_mode::lines, 0, {}};
    auto job = shared_from_this();
    self->request(self->state.docker, std::chrono::minutes(60), std::move(pull))
      .then([job](const docker_reply&) { job->prepare(); },
            [job](caf::error& err) { job->fail(lifecycle_reason::failed_to_create, err); });
  }

  void prepare() {
    emit(self, kernel_creating_event{header()});
    auto job = shared_from_this();
    auto table = service_table_json(cfg.image);
    services = service_ports_of_table(table);
    bool host_network = kernel_network_mode(cluster) == "host";
    if (auto err = map_service_ports(services, self->state.ports, host_network))
      return fail(lifecycle_reason::failed_to_create, err);
    auto user = kernel_user_of(cfg, self->state.settings);
    run_blocking_then<bool>(
      self, [d = dirs, table, c = cluster, user] { return prepare_scratch(d, table, c, user); },
      [job](bool) { job->create_container(); },
      [job](caf::error& err) { job->fail(lifecycle_reason::failed_to_create, err); });
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
        [job](caf::error& err) { job->fail(lifecycle_reason::failed_to_create, err); });
  }

  void start_container() {
    auto job = shared_from_this();
    self->request(self->state.docker, std::chrono::minutes(2),
                  docker::container_start(container_id))
      .then([job](const docker_reply&) { job->wait_runner(); },
            [job](caf::error& err) { job->fail(lifecycle_reason::failed_to_create, err); });
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
    auto info = make_kernel_info(cfg, self->state.settings, container_id);
    info.service_ports = services;
    auto handle =
      spawn_kernel(self->home_system(),
                   kernel_setup{info, dirs, self->state.docker, self->state.events,
                                self->state.settings.base_commit_path});
    self->monitor(handle);
    self->link_to(handle); // kernels end with their agent (their containers stay)
    self->state.kernels[cfg.kernel] = kernel_entry{handle, info, cluster};
    self->state.creating.erase(cfg.kernel);
    log::get("agent")->info("kernel {} of session {} is running in container {}", cfg.kernel,
                            cfg.session, container_id.substr(0, 12));
    emit(self, kernel_started_event{header(), info});
    persist_registry(self);
    release_creation_slot(self);
    done(info);
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
    auto d = dirs;
    run_blocking_then<bool>(
      self, [d] { remove_scratch(d); return true; }, [](bool) {}, [](caf::error&) {});
    release_service_ports(services, self->state.ports);
    services.clear();
    self->state.creating.erase(cfg.kernel);
    emit(self, kernel_terminated_event{header(reason), caf::none});
    release_creation_slot(self);
    done(make_error(errc::agent_error, "kernel " + cfg.kernel + " " + reason + ": " + why));
  }
};

/// Collects the outcome of every kernel of one create_kernels call.
struct creation_batch {
  caf::typed_response_promise<created_kernels> promise;
  std::vector<caf::optional<kernel_info>> results;
  std::vector<std::string> failures;
  size_t pending = 0;

  void record(size_t index, caf::expected<kernel_info> res) {
    if (res)
      results[index] = std::move(*res);
    else
      failures.push_back(message_of(res.error()));
    if (--pending > 0)
      return;
    if (!failures.empty()) {
      std::string text = std::to_string(failures.size()) + " of " +
                         std::to_string(results.size()) + " kernels failed: ";
      for (size_t i = 0; i < failures.size(); ++i)
        text += (i ? "; " : "") + failures[i];
      promise.deliver(make_error(errc::agent_error, text));
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

bool needs_pull(const image_config& image, const std::optional<docker::image_info>& local) {
  if (image.is_local || image.auto_pull == auto_pull_policy::none)
    return false;
  if (!local)
    return true;
  if (image.auto_pull == auto_pull_policy::digest && !image.digest.empty())
    return local->id != image.digest;
  return false;
}

caf::result<created_kernels> create_kernels(agent_pointer self, op::create_kernels req) {
  if (req.kernel_ids.size() != req.configs.size() || req.configs.empty())
    return make_error(errc::invalid_argument,
                      "create_kernels needs one config per kernel id (got " +
                        std::to_string(req.kernel_ids.size()) + " ids and " +
                        std::to_string(req.configs.size()) + " configs)");
  auto batch = std::make_shared<creation_batch>();
  batch->promise = self->make_response_promise<created_kernels>();
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
    create_one_kernel(self, std::move(cfg), req.cluster,
                      [batch, i](caf::expected<kernel_info> res) {
                        batch->record(i, std::move(res));
                      });
  }
  return batch->promise;
}

void create_one_kernel(agent_pointer self, kernel_creation_config cfg, cluster_info cluster,
                       std::function<void(caf::expected<kernel_info>)> done) {
  self->state.creating.insert(cfg.kernel);
  auto job = std::make_shared<creation_job>();
  job->self = self;
  job->cfg = std::move(cfg);
  job->cluster = std::move(cluster);
  job->done = std::move(done);
  acquire_creation_slot(self, [job] { job->start(); });
}

} // namespace baikal
