#include "actors/kernel/kernel.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/kernel/kernel_commit.hpp"
#include "actors/kernel/kernel_files.hpp"
#include "actors/kernel/kernel_state.hpp"
#include "actors/kernel/kernel_transfers.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/engine_health.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/log_lines.hpp"
#include "runtime/docker/streams.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/runner/execute_checks.hpp"
#include "runtime/runner/runner_client.hpp"

namespace baikal {

namespace {

/// Runs `fn(client)` against the kernel's runner on the io lane.
template <class Result, class Fn> caf::result<Result> with_runner(kernel_pointer self, Fn fn) {
  return run_blocking<Result>(self, [runners = self->state.runners, fn = std::move(fn)]() mutable {
    return runners->with_client(fn);
  });
}

void emit_execution(kernel_pointer self, execution_event::phase phase) {
  auto& info = self->state.setup.info;
  if (self->state.setup.events)
    self->send(self->state.setup.events, execution_event{phase, info.session, info.id});
}

void destroy_self(kernel_pointer self, const std::string& reason);

/// The modes that steer a run instead of collecting its output; the runner answers them at once.
bool is_run_control(execution_mode mode) {
  return mode == execution_mode::write || mode == execution_mode::resize ||
         mode == execution_mode::cancel;
}

caf::result<execution_result> execute(kernel_pointer self, const op::execute& x) {
  // What arrives here came over the network: checked into typed values, never parsed later.
  runner::execute_limits limits;
  limits.max_code_bytes = self->state.setup.input_limits.max_code_bytes;
  auto req = runner::to_runner_request(x, limits);
  if (!req)
    return std::move(req.error());
  auto& st = self->state;
  if (st.runs_in_flight >= st.setup.max_concurrent_runs)
    return make_error(errc::unavailable,
                      "kernel " + st.setup.info.id + " already runs " +
                          std::to_string(st.runs_in_flight) +
                          " executions at once, the most container.max-concurrent-runs allows; "
                          "retry when one has answered");
  if (st.setup.before_execute)
    st.setup.before_execute(x);
  ++st.runs_in_flight;
  // A terminal's keystrokes, resizes and the polls of live output are not runs of code: only
  // calls that start a run, or poll one as clients of the execute route do, are events.
  bool control = is_run_control(x.mode);
  bool quiet =
      control ||
      (req->stream && (x.mode == execution_mode::continue_ || x.mode == execution_mode::input));
  if (!quiet)
    emit_execution(self, execution_event::phase::started);
  auto promise = make_guarded_promise<execution_result>(self);
  // The runs lane: the runner answers when the run ends or its flush timeout passes. Control
  // calls answer at once and must not wait behind runs (a keystroke behind a long poll).
  run_blocking_then<execution_result>(
      self, control ? blocking_lane::io : blocking_lane::runs,
      [runners = st.runners, req = std::move(*req)] {
        return runners->with_client([&req](runner::runner_client& c) { return c.execute(req); });
      },
      [self, promise](execution_result& res) mutable {
        --self->state.runs_in_flight;
        res.files.clear();
        if (res.status == "finished")
          emit_execution(self, execution_event::phase::finished);
        else if (res.status == "exec-timeout") {
          emit_execution(self, execution_event::phase::timeout);
          destroy_self(self, lifecycle_reason::exec_timeout);
        }
        promise.deliver(std::move(res));
      },
      [self, promise, quiet](caf::error& err) mutable {
        --self->state.runs_in_flight;
        if (!quiet)
          emit_execution(self, execution_event::phase::cancelled);
        promise.deliver(std::move(err));
      });
  return promise;
}

caf::result<kernel_logs> get_logs(kernel_pointer self, const op::get_logs& x) {
  auto promise = make_guarded_promise<kernel_logs>(self);
  docker::log_options opts;
  opts.timestamps = x.timestamps;
  opts.since = x.since;
  self->request(self->state.setup.docker, self->state.setup.timeouts.engine_call,
                docker::container_logs(self->state.setup.info.container_id, opts))
      .then(
          [promise, stamped = x.timestamps](const docker_reply& reply) mutable {
            auto out = docker::demux_frames(reply.body);
            promise.deliver(
                kernel_logs{stamped ? docker::merge_stamped(out.out, out.err) : out.out + out.err});
          },
          [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

caf::result<ack> shutdown_service(kernel_pointer self, const op::shutdown_service& x) {
  auto name = x.service;
  auto kernel = x.kernel;
  run_blocking_then<std::string>(
      self,
      [runners = self->state.runners, name] {
        return runners->with_client(
            [&name](runner::runner_client& c) { return c.shutdown_service(name); });
      },
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

caf::result<service_result> start_service(kernel_pointer self, const op::start_service& x) {
  auto name = x.service;
  auto ports = self->state.setup.info.service_ports;
  auto host = self->state.setup.info.host;
  return with_runner<service_result>(self, [name, ports, host](runner::runner_client& c) {
    auto res = c.start_service(name);
    // Users (and the manager's app proxy) reach a service through the host port its container
    // port is published on, at the agent's address.
    if (res)
      for (auto& sp : ports)
        if (sp.name == name && !sp.host_ports.empty()) {
          res->info["host_port"] = std::to_string(sp.host_ports.front());
          res->info["host"] = host;
        }
    return res;
  });
}

caf::result<kernel_ping> ping(kernel_pointer self) {
  return with_runner<kernel_ping>(self, [](runner::runner_client& c) {
    auto start = std::chrono::steady_clock::now();
    if (!c.health())
      return kernel_ping{};
    std::chrono::duration<double> rtt = std::chrono::steady_clock::now() - start;
    return kernel_ping{std::map<std::string, double>{{"rtt", rtt.count()}}};
  });
}

// -- destroying -----------------------------------------------------------------------------

kernel_actor::behavior_type serving(kernel_pointer self);
kernel_actor::behavior_type destroying(kernel_pointer self);

/// The destroy ended (`err`: how it failed): every destroy asked for meanwhile hears the same.
void answer_destroy_waiters(kernel_pointer self, const caf::error& err) {
  for (auto& waiter : std::exchange(self->state.destroy_waiters, {}))
    waiter(err);
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
        answer_destroy_waiters(self, caf::none);
        self->quit();
      },
      [=](caf::error& err) {
        if (done)
          done(err);
        answer_destroy_waiters(self, err);
        self->quit();
      });
}

/// The removal failed: the kernel serves again (its container is still there).
void removal_failed(kernel_pointer self, const caf::error& err,
                    const std::function<void(caf::error)>& done) {
  log::get("kernel")->warn("could not remove the container of kernel {}: {}",
                           self->state.setup.info.id, message_of(err));
  self->state.phase = kernel_phase::serving;
  self->become(serving(self));
  if (done)
    done(err);
  answer_destroy_waiters(self, err);
}

/// Another removal of the container runs (the engine refused ours as "already in progress"):
/// waits until the container is gone, so the destroy never answers while it is still there.
void await_removal(kernel_pointer self, std::string reason, bool suppress_events,
                   std::function<void(caf::error)> done) {
  auto& st = self->state;
  auto limit = st.setup.timeouts.container_remove;
  auto call = docker::container_wait(st.setup.info.container_id, "removed");
  call.timeout_ms = static_cast<uint32_t>(std::chrono::milliseconds(limit).count());
  self->request(st.setup.docker, limit + std::chrono::seconds(5), std::move(call))
      .then([=](const docker_reply&) { container_removed(self, reason, suppress_events, done); },
            [=](caf::error& err) {
              if (code_of(err) == errc::not_found) // gone before the wait began
                return container_removed(self, reason, suppress_events, done);
              removal_failed(self, err, done);
            });
}

/// Removes the container and the scratch directory, then reports and quits. Answers `done`
/// (if any) when the container is gone.
void destroy(kernel_pointer self, std::string reason, bool suppress_events,
             std::function<void(caf::error)> done) {
  auto& st = self->state;
  st.phase = kernel_phase::destroying;
  st.destroy_reason = reason;
  self->become(destroying(self));
  log::get("kernel")->info("destroying kernel {} ({})", st.setup.info.id, reason);
  self->request(st.setup.docker, st.setup.timeouts.container_remove,
                docker::container_remove(st.setup.info.container_id, true, true))
      .then([=](const docker_reply&) { container_removed(self, reason, suppress_events, done); },
            [=](caf::error& err) {
              if (code_of(err) == errc::not_found) // the engine lost it, or someone removed it
                return container_removed(self, reason, suppress_events, done);
              if (code_of(err) == errc::conflict &&
                  message_of(err).find("already in progress") != std::string::npos)
                return await_removal(self, reason, suppress_events, done);
              removal_failed(self, err, done);
            });
}

void destroy_self(kernel_pointer self, const std::string& reason) {
  if (self->state.phase != kernel_phase::serving)
    return;
  // Before the removal starts: the container's die event must not read as a lost kernel.
  if (self->state.setup.agent)
    caf::anon_send(self->state.setup.agent,
                   kernel_destroys_itself{self->state.setup.info.id, reason});
  destroy(self, reason, false, nullptr);
}

caf::result<ack> destroy_request(kernel_pointer self, const op::destroy_kernel& x) {
  auto promise = make_guarded_promise<ack>(self);
  destroy(self, x.reason, x.suppress_events, [promise](caf::error err) mutable {
    if (err)
      promise.deliver(std::move(err));
    else
      promise.deliver(ack{});
  });
  return promise;
}

caf::error being_destroyed(kernel_pointer self) {
  auto& st = self->state;
  return make_error(errc::unavailable, "kernel " + st.setup.info.id + " is being destroyed (" +
                                           st.destroy_reason + "); it takes no new work");
}

/// A handler of the destroying phase for `Op`: refused.
template <class Op, class Result> auto refused(kernel_pointer self) {
  return [self](const Op&) -> caf::result<Result> { return being_destroyed(self); };
}

/// The refusal of the forwarded operation `Sig`.
template <class Sig> struct refusal;

template <class Op, class Result>
struct refusal<caf::typed_mpi<caf::detail::type_list<Op>, caf::output_tuple<Result>>> {
  static auto make(kernel_pointer self) { return refused<Op, Result>(self); }
};

template <class... Forwarded>
kernel_actor::behavior_type destroying(kernel_pointer self, caf::detail::type_list<Forwarded...>) {
  return {
      refusal<Forwarded>::make(self)...,
      refused<op::get_logs, kernel_logs>(self),
      refused<op::commit, ack>(self),
      // The spec never raises on shutdown_service; the service goes with the container anyway.
      [](const op::shutdown_service&) { return ack{}; },
      [self](const op::destroy_kernel& x) -> caf::result<ack> {
        // A restart would create the kernel anew at once, beside a container still going.
        if (x.reason == lifecycle_reason::restarting)
          return make_error(errc::conflict, "kernel " + x.kernel + " is being destroyed (" +
                                                self->state.destroy_reason +
                                                "); it cannot be restarted");
        // Answered when the destroy running now ends, never before its container is gone.
        auto promise = make_guarded_promise<ack>(self);
        self->state.destroy_waiters.push_back([promise](caf::error err) mutable {
          if (err)
            promise.deliver(std::move(err));
          else
            promise.deliver(ack{});
        });
        return promise;
      },
  };
}

kernel_actor::behavior_type destroying(kernel_pointer self) {
  return destroying(self, kernel_forwarded_actor::signatures{});
}

// -- serving --------------------------------------------------------------------------------

kernel_actor::behavior_type serving(kernel_pointer self) {
  auto work = file_roots{self->state.setup.dirs.work, self->state.setup.info.mounts};
  return {
      [self](const op::execute& x) { return execute(self, x); },
      [self](const op::interrupt_kernel&) {
        return with_runner<ack>(self, [](runner::runner_client& c) -> caf::expected<ack> {
          if (auto res = c.interrupt(); !res)
            return std::move(res.error());
          return ack{};
        });
      },
      [self](const op::get_completions& x) {
        auto text = x.text;
        return with_runner<completion_result>(
            self, [text](runner::runner_client& c) { return c.complete(text); });
      },
      [self](const op::start_service& x) { return start_service(self, x); },
      [self](const op::shutdown_service& x) { return shutdown_service(self, x); },
      [self](const op::ping_kernel&) { return ping(self); },
      [self](const op::get_logs& x) { return get_logs(self, x); },
      [self, work](op::accept_file& x) {
        // Shared, not copied, into the blocking task (an upload may be a GiB).
        auto data = std::make_shared<const std::string>(std::move(x.data));
        return run_blocking<ack>(
            self, [work, name = x.filename, data] { return accept_file_in(work, name, *data); });
      },
      [self, work](const op::download_file& x) {
        return run_blocking<file_bytes>(self,
                                        [work, x] { return download_file_from(work, x.path); });
      },
      [self, work](const op::download_single& x) {
        return run_blocking<file_bytes>(self,
                                        [work, x] { return download_single_from(work, x.path); });
      },
      [self](const op::open_upload& x) { return open_upload(self, x); },
      [self](op::upload_chunk& x) { return upload_chunk(self, x); },
      [self](const op::finish_upload& x) { return finish_upload(self, x); },
      [self](const op::abort_upload& x) { return abort_upload(self, x); },
      [self](const op::open_download& x) { return open_download(self, x); },
      [self](const op::read_download& x) { return read_download(self, x); },
      [self](const op::close_download& x) { return close_download(self, x); },
      [self](const op::get_commit_status& x) { return get_commit_status(self, x); },
      [self](const op::commit& x) { return commit(self, x); },
      [self, work](const op::list_files& x) {
        return run_blocking<file_listing>(self, [work, x] { return list_files_in(work, x.path); });
      },
      [self](const op::destroy_kernel& x) { return destroy_request(self, x); },
  };
}

kernel_actor::behavior_type kernel_behavior(kernel_pointer self, kernel_setup setup) {
  self->state.blocking = setup.blocking;
  self->state.setup = std::move(setup);
  self->state.runners =
      std::make_shared<runner::runner_pool>(self->state.setup.dirs.runner_socket());
  stop_alone_on_exception(self, "the actor of kernel " + self->state.setup.info.id);
  // The kernel monitors only the actors streaming its transfers.
  self->set_down_handler([self](caf::down_msg& dm) { drop_transfers_of(self, dm.source); });
  return serving(self);
}

} // namespace

kernel_actor spawn_kernel(caf::actor_system& sys, kernel_setup setup) {
  return sys.spawn(kernel_behavior, std::move(setup));
}

} // namespace baikal
