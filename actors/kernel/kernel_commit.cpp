#include "actors/kernel/kernel_commit.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>

#include "actors/supervision/blocking_task.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace fs = std::filesystem;

namespace {

caf::expected<bool> take_lock(const std::string& base, const std::string& subdir,
                              const std::string& lock) {
  std::error_code ec;
  fs::create_directories(fs::path{base} / subdir / "lock", ec);
  if (ec)
    return make_error(errc::runtime_error, "cannot create the commit directory " + base + "/" +
                                               subdir + ": " + ec.message());
  std::ofstream{lock, std::ios::trunc} << "";
  if (!fs::exists(lock))
    return make_error(errc::runtime_error, "cannot create the commit lock file " + lock);
  return true;
}

/// One commit's way: lock, docker commit, export, delete the image, unlock.
struct commit_job : std::enable_shared_from_this<commit_job> {
  kernel_pointer self;
  op::commit req;
  std::string lock;
  std::string ref; ///< empty: an untagged image
  std::string image_id;
  guarded_promise<ack> promise;

  void start() {
    auto job = shared_from_this();
    auto base = self->state.setup.base_commit_path;
    run_blocking_then<bool>(
        self, [base, sub = req.subdir, l = lock] { return take_lock(base, sub, l); },
        [job](bool) { job->commit_container(); }, [job](caf::error& err) { job->end(err); });
  }

  void commit_container() {
    docker::commit_spec spec;
    spec.container = self->state.setup.info.container_id;
    spec.ref = ref;
    spec.labels = req.extra_labels;
    auto job = shared_from_this();
    self->request(self->state.setup.docker, self->state.setup.timeouts.commit,
                  docker::container_commit(spec))
        .then(
            [job](const docker_reply& reply) {
              auto id = docker::parse_id(reply.body);
              job->image_id = id ? *id : std::string{};
              if (job->req.filename)
                job->export_image();
              else
                job->end(caf::none);
            },
            [job](caf::error& err) { job->end(err); });
  }

  void export_image() {
    auto job = shared_from_this();
    auto call = docker::image_export(ref.empty() ? image_id : ref);
    // The engine streams the export straight into the gzip file on its own thread.
    call.output_file =
        (fs::path{self->state.setup.base_commit_path} / req.subdir / *req.filename).string();
    call.gzip_output = true;
    self->request(self->state.setup.docker, self->state.setup.timeouts.push, std::move(call))
        .then([job](const docker_reply&) { job->delete_image(); },
              [job](caf::error& err) { job->end(err); });
  }

  void delete_image() {
    auto job = shared_from_this();
    auto name = ref.empty() ? image_id : ref;
    self->request(self->state.setup.docker, self->state.setup.timeouts.container_create,
                  docker::image_delete(name, false, false))
        .then([job](const docker_reply&) { job->end(caf::none); },
              [job](caf::error& err) { job->end(err); });
  }

  /// Removes the lock, answers, and lets the next commit on this subdir run.
  void end(caf::error err) {
    auto job = shared_from_this();
    run_blocking_then<bool>(
        self,
        [l = lock] {
          std::error_code ec;
          fs::remove(l, ec);
          return true;
        },
        [job, err](bool) mutable { job->finish(std::move(err)); },
        [job, err](caf::error&) mutable { job->finish(std::move(err)); });
  }

  void finish(caf::error err) {
    auto& kernel = self->state.setup.info.id;
    if (err) {
      log::get("kernel")->warn("commit of kernel {} failed: {}", kernel, message_of(err));
      promise.deliver(make_error(errc::runtime_error,
                                 "commit of kernel " + kernel + " failed: " + message_of(err)));
    } else {
      log::get("kernel")->info("committed kernel {} as {}", kernel, ref.empty() ? image_id : ref);
      promise.deliver(ack{});
    }
    auto& queue = self->state.commit_queues[req.subdir];
    queue.pop_front();
    if (!queue.empty())
      queue.front()();
    else
      self->state.commit_queues.erase(req.subdir);
  }
};

} // namespace

std::string commit_reference(const std::string& canonical) {
  if (canonical.empty())
    return {};
  auto slash = canonical.rfind('/');
  auto colon = canonical.rfind(':');
  bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  return has_tag ? canonical : canonical + ":latest";
}

std::string commit_lock_path(const std::string& base, const std::string& subdir,
                             const std::string& kernel) {
  return (fs::path{base} / subdir / "lock" / kernel).string();
}

caf::result<commit_state> get_commit_status(kernel_pointer self, const op::get_commit_status& x) {
  auto lock = commit_lock_path(self->state.setup.base_commit_path, x.subdir, x.kernel);
  return run_blocking<commit_state>(self, [lock] {
    std::error_code ec;
    return commit_state{fs::exists(lock, ec) ? commit_status::ongoing : commit_status::ready};
  });
}

caf::result<ack> commit(kernel_pointer self, const op::commit& x) {
  auto job = std::make_shared<commit_job>();
  job->self = self;
  job->req = x;
  job->lock = commit_lock_path(self->state.setup.base_commit_path, x.subdir, x.kernel);
  job->ref = commit_reference(x.canonical ? *x.canonical : std::string{});
  job->promise = make_guarded_promise<ack>(self);
  auto& queue = self->state.commit_queues[x.subdir];
  queue.push_back([job] { job->start(); });
  if (queue.size() == 1)
    queue.front()();
  return job->promise;
}

} // namespace baikal
