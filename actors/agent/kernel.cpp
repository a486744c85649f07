#include "actors/agent/kernel.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/agent/blocking_task.hpp"
#include "actors/agent/kernel_commit.hpp"
#include "actors/agent/kernel_files.hpp"
#include "actors/agent/kernel_state.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/streams.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/runner/runner_client.hpp"

namespace baikal {

namespace {

/// Runs `fn(client)` against the kernel's runner on a detached worker.
template <class Result, class Fn>
caf::typed_response_promise<Result> with_runner(kernel_pointer self, Fn fn) {
  auto socket = self->state.setup.dirs.runner_socket();
  return run_blocking<Result>(self, [socket, fn = std::move(fn)]() mutable {
    runner::runner_client client{socket};
    return fn(client);
  });
}

void emit_execution(kernel_pointer self, execution_event::phase phase) {
  auto& info = self->state.setup.info;
  if (self->state.setup.events)
    self->send(self->state.setup.events, execution_event{phase, info.session, info.id});
}

runner::execute_request to_runner_request(const op::execute& x) {
  runner::execute_request req;
  req.mode = x.mode;
  req.code = x.code;
  req.run_id = x.run_id;
  req.flush_timeout = x.flush_timeout;
  if (auto t = x.opts.find("exec_timeout"); t != x.opts.end())
    req.exec_timeout = std::stod(t->second);
  if (auto b = x.opts.find("build"); b != x.opts.end())
    req.build = b->second;
  if (auto e = x.opts.find("exec"); e != x.opts.end())
    req.exec = e->second;
  return req;
}

void destroy_self(kernel_pointer self, const std::string& reason);

caf::result<execution_result> execute(kernel_pointer self, const op::execute& x) {
  if (x.mode != "query" && x.mode != "batch" && x.mode != "continue" && x.mode != "input")
    return make_error(errc::invalid_argument, "unknown execution mode \"" + x.mode +
                                                  "\"; use query, batch, continue or input");
  emit_execution(self, execution_event::phase::started);
  auto req = to_runner_request(x);
  auto socket = self->state.setup.dirs.runner_socket();
  auto promise = self->make_response_promise<execution_result>();
  run_blocking_then<execution_result>(
      self, [socket, req] { return runner::runner_client{socket}.execute(req); },
      [self, promise](execution_result& res) mutable {
        res.files.clear();
        if (res.status == "finished")
          emit_execution(self, execution_event::phase::finished);
        else if (res.status == "exec-timeout") {
          emit_execution(self, execution_event::phase::timeout);
          destroy_self(self, lifecycle_reason::exec_timeout);
        }
        promise.deliver(std::move(res));
      },
      [self, promise](caf::error& err) mutable {
        emit_execution(self, execution_event::phase::cancelled);
        promise.deliver(std::move(err));
      });
  return promise;
}

caf::result<kernel_logs> get_logs(kernel_pointer self) {
  auto promise = self->make_response_promise<kernel_logs>();
  docker::log_options opts;
  self->request(self->state.setup.docker, std::chrono::seconds(60),
                docker::container_logs(self->state.setup.info.container_id, opts))
      .then(
          [promise](const docker_reply& reply) mutable {
            auto out = docker::demux_frames(reply.body);
            promise.deliver(kernel_logs{out.out + out.err});
          },
          [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

/// The container is gone: removes the scratch directory, reports and quits.
void container_removed(kernel_pointer self, std::string reason, bool suppress_events,
                       std::function<void(caf::error)> done) {
  auto dirs = self->state.setup.dirs;
  run_blocking_then<bool>(
      self,
      [dirs] {
        remove_scratch(dirs);
        return true;
      },
      [=](bool) {
        auto& info = self->state.setup.info;
        if (!suppress_events && self->state.setup.events)
          self->send(
              self->state.setup.events,
              kernel_terminated_event{{info.id, info.session, info.agent, reason}, caf::none});
        if (done)
          done(caf::none);
        self->quit();
      },
      [=](caf::error& err) {
        if (done)
          done(err);
        self->quit();
      });
}

/// Removes the container and the scratch directory, then reports and quits. Answers `done`
/// (if any) when the container is gone.
void destroy(kernel_pointer self, std::string reason, bool suppress_events,
             std::function<void(caf::error)> done) {
  self->state.destroying = true;
  auto& setup = self->state.setup;
  log::get("kernel")->info("destroying kernel {} ({})", setup.info.id, reason);
  self->request(setup.docker, std::chrono::seconds(60),
                docker::container_remove(setup.info.container_id, true, true))
      .then([=](const docker_reply&) { container_removed(self, reason, suppress_events, done); },
            [=](caf::error& err) {
              // Already gone (the engine lost it, or someone removed it), or going (another
              // removal runs): nothing left to remove.
              if (code_of(err) == errc::not_found ||
                  (code_of(err) == errc::conflict &&
                   message_of(err).find("already in progress") != std::string::npos))
                return container_removed(self, reason, suppress_events, done);
              log::get("kernel")->warn("could not remove the container of kernel {}: {}",
                                       self->state.setup.info.id, message_of(err));
              self->state.destroying = false;
              if (done)
                done(err);
            });
}

void destroy_self(kernel_pointer self, const std::string& reason) {
  destroy(self, reason, false, nullptr);
}

caf::result<ack> shutdown_service(kernel_pointer self, const op::shutdown_service& x) {
  auto socket = self->state.setup.dirs.runner_socket();
  auto name = x.service;
  auto kernel = x.kernel;
  run_blocking_then<std::string>(
      self, [socket, name] { return runner::runner_client{socket}.shutdown_service(name); },
      [kernel, name](std::string& note) {
        if (!note.empty())
          log::get("kernel")->info("shutdown_service {} on {}: {}", name, kernel, note);
      },
      [kernel, name](caf::error& err) {
        // The spec: logged, never raised.
        log::get("kernel")->warn("unhandled exception while shutting down service app {} on {}: {}",
                                 name, kernel, message_of(err));
      });
  return ack{};
}

kernel_actor::behavior_type kernel_behavior(kernel_pointer self, kernel_setup setup) {
  self->state.setup = std::move(setup);
  return {
      [=](const op::execute& x) { return execute(self, x); },
      [=](const op::interrupt_kernel&) -> caf::result<ack> {
        return with_runner<ack>(self, [](runner::runner_client& c) -> caf::expected<ack> {
          if (auto res = c.interrupt(); !res)
            return std::move(res.error());
          return ack{};
        });
      },
      [=](const op::get_completions& x) -> caf::result<completion_result> {
        auto text = x.text;
        return with_runner<completion_result>(
            self, [text](runner::runner_client& c) { return c.complete(text); });
      },
      [=](const op::start_service& x) -> caf::result<service_result> {
        auto name = x.service;
        auto ports = self->state.setup.info.service_ports;
        return with_runner<service_result>(self, [name, ports](runner::runner_client& c) {
          auto res = c.start_service(name);
          // Users reach a service through the host port its container port is published on.
          if (res)
            for (auto& sp : ports)
              if (sp.name == name && !sp.host_ports.empty())
                res->info["host_port"] = std::to_string(sp.host_ports.front());
          return res;
        });
      },
      [=](const op::shutdown_service& x) { return shutdown_service(self, x); },
      [=](const op::ping_kernel&) -> caf::result<kernel_ping> {
        return with_runner<kernel_ping>(self, [](runner::runner_client& c) {
          auto start = std::chrono::steady_clock::now();
          if (!c.health())
            return kernel_ping{};
          std::chrono::duration<double> rtt = std::chrono::steady_clock::now() - start;
          return kernel_ping{std::map<std::string, double>{{"rtt", rtt.count()}}};
        });
      },
      [=](const op::get_logs&) { return get_logs(self); },
      [=](op::accept_file& x) {
        // Shared, not copied, into the blocking task (an upload may be a GiB).
        auto data = std::make_shared<const std::string>(std::move(x.data));
        return run_blocking<ack>(self, [work = self->state.setup.dirs.work, name = x.filename,
                                        data] { return accept_file_in(work, name, *data); });
      },
      [=](const op::download_file& x) {
        return run_blocking<file_bytes>(self, [work = self->state.setup.dirs.work, x] {
          return download_file_from(work, x.path);
        });
      },
      [=](const op::download_single& x) {
        return run_blocking<file_bytes>(self, [work = self->state.setup.dirs.work, x] {
          return download_single_from(work, x.path);
        });
      },
      [=](const op::get_commit_status& x) { return get_commit_status(self, x); },
      [=](const op::commit& x) { return commit(self, x); },
      [=](const op::list_files& x) {
        return run_blocking<file_listing>(
            self, [work = self->state.setup.dirs.work, x] { return list_files_in(work, x.path); });
      },
      [=](const op::destroy_kernel& x) -> caf::result<ack> {
        auto promise = self->make_response_promise<ack>();
        destroy(self, x.reason, x.suppress_events, [promise](caf::error err) mutable {
          if (err)
            promise.deliver(std::move(err));
          else
            promise.deliver(ack{});
        });
        return promise;
      },
  };
}

} // namespace

kernel_actor spawn_kernel(caf::actor_system& sys, kernel_setup setup) {
  return sys.spawn(kernel_behavior, std::move(setup));
}

void remove_scratch(const scratch_dirs& dirs) {
  std::error_code ec;
  std::filesystem::remove_all(dirs.root, ec);
  if (ec)
    log::get("kernel")->warn("could not remove scratch directory {}: {}", dirs.root, ec.message());
}

} // namespace baikal
