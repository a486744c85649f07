#include "actors/agent/kernel_lifecycle.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

#include <caf/send.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actors/agent/batch_run.hpp"
#include "actors/agent/kernel_creation.hpp"
#include "actors/agent/kernel_supervision.hpp"
#include "actors/agent/registry_file.hpp"
#include "actors/agent/service_ports.hpp"
#include "actors/agent/warm_pool_ops.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "actors/supervision/fan_in.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"
#include "runtime/config/atomic_file.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

caf::result<kernel_info> restart_kernel(agent_pointer self, op::restart_kernel x) {
  auto i = self->state.kernels.find(x.kernel);
  if (i == self->state.kernels.end())
    return unknown_kernel(self->state, x.kernel);
  if (auto err = refuse_while_recovering(self, x.kernel))
    return err;
  if (auto err = checks::check_op(x, self->state.settings.input_limits))
    return err;
  auto entry = i->second;
  auto cfg = std::move(x.updated_config);
  cfg.kernel = x.kernel;
  cfg.session = x.session;
  if (cfg.image.canonical.empty())
    cfg.image.canonical = canonical_of(x.image);
  auto promise = make_guarded_promise<kernel_info>(self);
  auto limit = std::chrono::milliseconds(
      static_cast<int64_t>(self->state.settings.restart_destroy_timeout * 1000));
  self->state.destroying.insert(x.kernel);
  self->request(entry.handle, limit,
                op::destroy_kernel{x.kernel, x.session, lifecycle_reason::restarting, false})
      .then(
          [=](ack) mutable {
            // Before the down message: create anew, with the old container's host ports free again.
            release_service_ports(entry.info.service_ports, self->state.ports);
            self->state.kernels.erase(cfg.kernel);
            self->state.destroying.erase(cfg.kernel);
            create_one_kernel(self, cfg, entry.cluster,
                              [promise](caf::expected<kernel_info> r) mutable {
                                if (r)
                                  promise.deliver(std::move(*r));
                                else
                                  promise.deliver(std::move(r.error()));
                              });
          },
          [=](caf::error& err) mutable {
            self->state.destroying.erase(cfg.kernel);
            if (code_of(err) == errc::timeout) {
              emit(self, kernel_terminated_event{{cfg.kernel, cfg.session, self->state.settings.id,
                                                  lifecycle_reason::restart_timeout},
                                                 caf::none});
              promise.deliver(make_error(errc::timeout, "kernel " + cfg.kernel +
                                                            " was not destroyed within the restart "
                                                            "timeout"));
              return;
            }
            promise.deliver(std::move(err));
          });
  return promise;
}

namespace {

/// What one batch run has gathered so far.
struct batch_progress {
  session_id session;
  kernel_id kernel;
  std::string output;
};

void report_batch_end(agent_pointer self, const batch_progress& run, batch_outcome outcome,
                      caf::optional<int32_t> exit_code, std::string why = {}) {
  log::get("agent")->info("batch execution on kernel {} ended: {}{}", run.kernel,
                          to_string(outcome),
                          exit_code ? " (exit " + std::to_string(*exit_code) + ")" : why);
  emit(self, batch_result_event{{run.kernel, run.session, self->state.settings.id, std::move(why)},
                                outcome,
                                exit_code,
                                run.output});
}

/// Asks the kernel for the next round of the run (the first round starts it) until it ends.
/// The kernel is looked up each round: its actor may have been served again meanwhile.
void next_batch_round(agent_pointer self, std::shared_ptr<batch_progress> run, op::execute x) {
  auto i = self->state.kernels.find(run->kernel);
  if (i == self->state.kernels.end() || !i->second.handle)
    return report_batch_end(self, *run, batch_outcome::failed, caf::none,
                            "kernel " + run->kernel + " is gone");
  self->request(i->second.handle, caf::infinite, x)
      .then(
          [self, run, x](execution_result& res) mutable {
            append_batch_output(run->output, res.console);
            auto outcome = batch_outcome_of(res.status);
            if (!outcome) {
              x.mode = execution_mode::continue_;
              x.run_id = res.run_id;
              x.code.clear();
              x.opts.clear();
              return next_batch_round(self, run, std::move(x));
            }
            caf::optional<int32_t> code;
            std::string why;
            if (*outcome == batch_outcome::finished)
              code = res.exit_code;
            else if (*outcome == batch_outcome::failed)
              why = "the run ended " + res.status;
            report_batch_end(self, *run, *outcome, code, std::move(why));
          },
          [self, run](caf::error& err) {
            report_batch_end(self, *run, batch_outcome::failed, caf::none, message_of(err));
          });
}

} // namespace

caf::result<ack> trigger_batch_execution(agent_pointer self, const op::trigger_batch_execution& x) {
  auto i = self->state.kernels.find(x.kernel);
  if (i == self->state.kernels.end())
    return unknown_kernel(self->state, x.kernel);
  if (auto err = refuse_while_recovering(self, x.kernel))
    return err;
  if (auto err = checks::check_op(x, self->state.settings.input_limits))
    return err;
  op::execute run{x.session, x.kernel, 4, "", execution_mode::batch, x.code, {}, 3600};
  if (x.timeout > 0)
    run.opts["exec_timeout"] = std::to_string(x.timeout);
  auto progress = std::make_shared<batch_progress>();
  progress->session = x.session;
  progress->kernel = x.kernel;
  next_batch_round(self, std::move(progress), std::move(run));
  return ack{};
}

caf::result<ack> sync_kernel_registry(agent_pointer self, const op::sync_kernel_registry& x) {
  std::set<kernel_id> known_to_manager;
  for (auto& ks : x.kernels) {
    known_to_manager.insert(ks.kernel);
    // A kernel that ended itself while the manager was away says why again: this event may
    // reach the session before the kernel's own one, which the link still holds.
    if (self->state.kernels.count(ks.kernel) == 0)
      emit(self, kernel_terminated_event{{ks.kernel, ks.session, self->state.settings.id,
                                          self->state.ended_kernels.reason_of(
                                              ks.kernel, lifecycle_reason::already_terminated)},
                                         caf::none});
  }
  for (auto& [id, entry] : self->state.kernels)
    // One being recovered has no actor to destroy it yet: the next sync finds it served.
    if (known_to_manager.count(id) == 0 && entry.handle) {
      log::get("agent")->warn("kernel {} is not known to the manager; destroying it", id);
      self->state.destroying.insert(id);
      caf::anon_send(entry.handle,
                     op::destroy_kernel{id, entry.info.session,
                                        lifecycle_reason::not_found_in_manager, false});
    }
  return ack{};
}

std::string registry_file_text(const agent_state& st) {
  std::vector<kernel_info> kernels;
  kernels.reserve(st.kernels.size());
  for (auto& [id, entry] : st.kernels)
    kernels.push_back(entry.info);
  return encode_registry_file(st.settings.id, kernels);
}

void persist_registry(agent_pointer self) {
  auto& st = self->state;
  if (st.registry_writing) {
    st.registry_dirty = true;
    return;
  }
  st.registry_writing = true;
  st.registry_dirty = false;
  run_blocking_then<ack>(
      self,
      [path = registry_file_path(st.settings),
       text = registry_file_text(st)]() -> caf::expected<ack> {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path{path}.parent_path(), ec);
        if (auto err = write_file_atomically(path, text))
          return err;
        return ack{};
      },
      [self](ack&) {
        self->state.registry_writing = false;
        if (self->state.registry_dirty)
          persist_registry(self);
      },
      [self](caf::error& err) {
        log::get("agent")->warn("could not write the kernel registry file: {}", message_of(err));
        self->state.registry_writing = false;
      });
}

namespace {

void finish_shutdown(agent_pointer self, guarded_promise<ack> promise) {
  emit(self, agent_terminated_event{self->state.settings.id, "shutdown"});
  log::get("agent")->info("agent {} shut down", self->state.settings.id);
  promise.deliver(ack{});
  self->quit();
}

} // namespace

void remove_scratch_later(agent_pointer self, const std::string& name, std::function<void()> then) {
  auto after = [then](auto&&...) {
    if (then)
      then();
  };
  run_blocking_then<bool>(
      self,
      [dirs = scratch_dirs_of(self->state.settings.scratch_root, name)] {
        remove_scratch(dirs);
        return true;
      },
      after, after);
}

caf::result<ack> shutdown_agent(agent_pointer self, const op::shutdown& x) {
  auto& st = self->state;
  st.phase = agent_phase::stopping;
  auto path = registry_file_path(st.settings);
  auto text = registry_file_text(st);
  auto promise = make_guarded_promise<ack>(self);
  auto destroy_all = x.stop_signal == 15; // SIGTERM
  run_blocking_then<ack>(
      self,
      [path, text]() -> caf::expected<ack> {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path{path}.parent_path(), ec);
        if (auto err = write_file_atomically(path, text))
          return err;
        return ack{};
      },
      [self, promise, destroy_all, path](ack&) {
        log::get("agent")->info("kernel registry written to {}", path);
        if (!destroy_all)
          return finish_shutdown(self, promise);
        auto destroyed = make_fan_in([self, promise] { finish_shutdown(self, promise); });
        for (auto& [id, entry] : self->state.kernels) {
          if (!entry.handle) // being recovered: its container stays for the next agent
            continue;
          destroyed->expect();
          self->request(entry.handle, self->state.settings.timeouts.kernel_destroy,
                        op::destroy_kernel{id, entry.info.session,
                                           lifecycle_reason::agent_termination, false})
              .then([destroyed](ack) { destroyed->answered(); },
                    [destroyed, id = id](caf::error& err) {
                      log::get("agent")->warn("kernel {} was not destroyed at shutdown: {}", id,
                                              message_of(err));
                      destroyed->answered();
                    });
        }
        destroyed->expect(); // and the warm containers, which are no kernels
        remove_warm_containers(self, [destroyed] { destroyed->answered(); });
        destroyed->release();
      },
      [promise](caf::error& err) mutable {
        log::get("agent")->error("could not persist the kernel registry: {}", message_of(err));
        promise.deliver(std::move(err));
      });
  return promise;
}

} // namespace baikal
