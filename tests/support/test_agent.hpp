#pragma once

/// Test doubles for what the manager talks to (the spec's "Mock" targets):
///  - a test agent answering the whole agent interface, recording what it was asked into a
///    thread-safe recorder and answering configured results, errors and delays (delays are
///    delayed messages to itself, never a sleep on an actor thread);
///  - a recording repository (update_session_network_id / update_session_error_info);
///  - a network plugin answering a test-chosen function;
///  - a log capture for one logger.
/// Send exit to every actor spawned here before the actor system goes away.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/sinks/base_sink.h>

#include "actors/manager/repository.hpp"
#include "messages/agent_interface.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/network/network_plugin.hpp"

namespace baikal::test {

// -- what the doubles were asked -----------------------------------------------------------------

struct agent_calls {
  std::vector<op::check_and_pull> pulls;
  std::vector<op::create_kernels> creates;
  std::vector<std::string> local_networks;
  size_t assign_ports = 0;
  size_t destroys = 0; ///< destroy_kernel and destroy_local_network
};

/// Shared by the doubles (actor threads) and the test (main thread).
class recorder {
public:
  template <class F> void on_agent(const agent_id& id, F&& f) {
    std::lock_guard<std::mutex> guard{mtx_};
    f(agents_[id]);
  }
  agent_calls agent(const agent_id& id) {
    std::lock_guard<std::mutex> guard{mtx_};
    return agents_[id];
  }
  /// The agents asked anything at all: the reference's acquire() count.
  size_t agents_contacted() {
    std::lock_guard<std::mutex> guard{mtx_};
    size_t n = 0;
    for (auto& [id, c] : agents_)
      n += (c.pulls.size() + c.creates.size() + c.local_networks.size() + c.assign_ports +
            c.destroys) > 0;
    return n;
  }
  void network_id_updated(const session_id& s, const std::string& n) {
    std::lock_guard<std::mutex> guard{mtx_};
    network_ids_.emplace_back(s, n);
  }
  void error_info_updated(const session_id& s, const std::string& info) {
    std::lock_guard<std::mutex> guard{mtx_};
    error_infos_.emplace_back(s, info);
  }
  void network_created(const std::string& identifier) {
    std::lock_guard<std::mutex> guard{mtx_};
    plugin_calls_.push_back(identifier);
  }
  using session_value = std::vector<std::pair<session_id, std::string>>;
  session_value network_ids() {
    std::lock_guard<std::mutex> guard{mtx_};
    return network_ids_;
  }
  session_value error_infos() {
    std::lock_guard<std::mutex> guard{mtx_};
    return error_infos_;
  }
  std::vector<std::string> plugin_calls() {
    std::lock_guard<std::mutex> guard{mtx_};
    return plugin_calls_;
  }

private:
  std::mutex mtx_;
  std::map<agent_id, agent_calls> agents_;
  session_value network_ids_;
  session_value error_infos_;
  std::vector<std::string> plugin_calls_;
};

using recorder_ptr = std::shared_ptr<recorder>;

// -- the test agent ------------------------------------------------------------------------------

/// How a test agent answers. Errors are returned as they are; a delay postpones the answer.
struct agent_script {
  caf::error pull_error;
  std::map<std::string, std::string> pull_result; ///< image -> job id; default "pulled"
  caf::error create_error;
  std::chrono::milliseconds create_delay{0};
  caf::error network_error;
  caf::error port_error;
  uint16_t port = 12345;
};

namespace detail {

using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
using test_agent_actor = agent_actor::extend<caf::reacts_to<deliver_atom, uint64_t>>;

struct test_agent_state {
  uint64_t next_id = 0;
  std::map<uint64_t, std::function<void()>> later;
  static inline const char* name = "test_agent";
};

using test_agent_ptr = test_agent_actor::stateful_pointer<test_agent_state>;

template <class T>
caf::result<T> reply(test_agent_ptr self, std::chrono::milliseconds delay, caf::error err,
                     T value) {
  if (delay.count() == 0) {
    if (err)
      return err;
    return value;
  }
  auto rp = self->make_response_promise<T>();
  auto id = ++self->state.next_id;
  self->state.later.emplace(id, [rp, err, value]() mutable {
    if (err)
      rp.deliver(err);
    else
      rp.deliver(value);
  });
  self->delayed_send(self, delay, deliver_atom::value, id);
  return rp;
}

inline caf::error unsupported(const char* what) {
  return make_error(errc::runtime_error, std::string{"the test agent does not do "} + what);
}

#define BAIKAL_UNSUPPORTED(name, R) [](op::name&) -> caf::result<R> { return unsupported(#name); }

inline test_agent_actor::behavior_type test_agent(test_agent_ptr self, agent_id id,
                                                  recorder_ptr rec, agent_script script) {
  auto none = std::chrono::milliseconds{0};
  return {
      [=](op::check_and_pull& x) -> caf::result<pull_jobs> {
        rec->on_agent(id, [&](agent_calls& c) { c.pulls.push_back(x); });
        pull_jobs jobs{script.pull_result};
        if (jobs.jobs.empty())
          for (auto& entry : x.images)
            jobs.jobs[entry.first] = "pulled";
        return reply(self, none, script.pull_error, jobs);
      },
      [=](op::create_kernels& x) -> caf::result<created_kernels> {
        rec->on_agent(id, [&](agent_calls& c) { c.creates.push_back(x); });
        created_kernels out;
        for (auto& k : x.kernel_ids)
          out.kernels.push_back(
              kernel_info{k, x.session, id, "127.0.0.1", "c-" + k, "default", {}, {}, {}});
        return reply(self, script.create_delay, script.create_error, out);
      },
      [=](op::create_local_network& x) -> caf::result<ack> {
        rec->on_agent(id, [&](agent_calls& c) { c.local_networks.push_back(x.network_name); });
        return reply(self, none, script.network_error, ack{});
      },
      [=](op::assign_port&) -> caf::result<assigned_port> {
        rec->on_agent(id, [&](agent_calls& c) { ++c.assign_ports; });
        return reply(self, none, script.port_error, assigned_port{script.port});
      },
      [=](op::destroy_kernel&) -> caf::result<ack> {
        rec->on_agent(id, [&](agent_calls& c) { ++c.destroys; });
        return ack{};
      },
      [=](op::destroy_local_network&) -> caf::result<ack> {
        rec->on_agent(id, [&](agent_calls& c) { ++c.destroys; });
        return ack{};
      },
      [=](deliver_atom, uint64_t n) {
        auto i = self->state.later.find(n);
        if (i != self->state.later.end()) {
          i->second();
          self->state.later.erase(i);
        }
      },
      BAIKAL_UNSUPPORTED(update_scaling_group, ack),
      BAIKAL_UNSUPPORTED(ping, std::string),
      BAIKAL_UNSUPPORTED(gather_hwinfo, hardware_info),
      BAIKAL_UNSUPPORTED(ping_kernel, kernel_ping),
      BAIKAL_UNSUPPORTED(sync_kernel_registry, ack),
      BAIKAL_UNSUPPORTED(shutdown, ack),
      BAIKAL_UNSUPPORTED(restart_kernel, kernel_info),
      BAIKAL_UNSUPPORTED(interrupt_kernel, ack),
      BAIKAL_UNSUPPORTED(get_completions, completion_result),
      BAIKAL_UNSUPPORTED(get_logs, kernel_logs),
      BAIKAL_UNSUPPORTED(execute, execution_result),
      BAIKAL_UNSUPPORTED(trigger_batch_execution, ack),
      BAIKAL_UNSUPPORTED(start_service, service_result),
      BAIKAL_UNSUPPORTED(shutdown_service, ack),
      BAIKAL_UNSUPPORTED(accept_file, ack),
      BAIKAL_UNSUPPORTED(download_file, file_bytes),
      BAIKAL_UNSUPPORTED(download_single, file_bytes),
      BAIKAL_UNSUPPORTED(list_files, file_listing),
      BAIKAL_UNSUPPORTED(get_commit_status, commit_state),
      BAIKAL_UNSUPPORTED(commit, ack),
      BAIKAL_UNSUPPORTED(push_image, ack),
      BAIKAL_UNSUPPORTED(purge_images, purge_images_resp),
      BAIKAL_UNSUPPORTED(release_port, ack),
      BAIKAL_UNSUPPORTED(check_pulling, probe_result),
      BAIKAL_UNSUPPORTED(check_creating, probe_result),
      BAIKAL_UNSUPPORTED(check_running, probe_result),
  };
}

#undef BAIKAL_UNSUPPORTED

} // namespace detail

/// A test agent named `id`, as the agent interface.
inline agent_actor spawn_test_agent(caf::actor_system& sys, agent_id id, recorder_ptr rec,
                                    agent_script script = {}) {
  return sys.spawn(detail::test_agent, std::move(id), std::move(rec), std::move(script));
}

// -- repository and network plugin
// -----------------------------------------------------------------

inline session_repository_actor spawn_recording_repository(caf::actor_system& sys,
                                                           recorder_ptr rec) {
  return sys.spawn([rec]() -> session_repository_actor::behavior_type {
    return {
        [rec](repo::update_session_network_id& x) {
          rec->network_id_updated(x.session, x.network_id);
          return ack{};
        },
        [rec](repo::update_session_error_info& x) {
          rec->error_info_updated(x.session, x.error_info);
          return ack{};
        },
    };
  });
}

using network_fn = std::function<caf::expected<network_info>(const std::string& identifier)>;

/// A plugin whose create_network answers `fn(identifier)`; destroy always succeeds.
inline network_plugin_actor spawn_test_network_plugin(caf::actor_system& sys, recorder_ptr rec,
                                                      network_fn fn) {
  return sys.spawn([rec, fn]() -> network_plugin_actor::behavior_type {
    return {
        [rec, fn](net::create_network& x) -> caf::result<network_info> {
          rec->network_created(x.identifier);
          auto info = fn(x.identifier);
          if (!info)
            return std::move(info.error());
          return std::move(*info);
        },
        [](net::destroy_network&) { return ack{}; },
    };
  });
}

// -- logs
// ------------------------------------------------------------------------------------------

/// Captures what one logger writes while it lives. Create it before the actors that log and
/// destroy it after them: a logger's sink list is not safe to change while it is in use.
class log_capture {
public:
  explicit log_capture(const std::string& component)
      : logger_(log::get(component)), sink_(std::make_shared<sink>()) {
    logger_->sinks().push_back(sink_);
  }
  ~log_capture() {
    auto& sinks = logger_->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  /// How many records of `level` contain `text`.
  size_t count(spdlog::level::level_enum level, const std::string& text) {
    std::lock_guard<std::mutex> guard{sink_->entries_mtx};
    size_t n = 0;
    for (auto& [lvl, msg] : sink_->entries)
      n += lvl == level && msg.find(text) != std::string::npos;
    return n;
  }

private:
  struct sink : spdlog::sinks::base_sink<std::mutex> {
    std::mutex entries_mtx;
    std::vector<std::pair<spdlog::level::level_enum, std::string>> entries;
    void sink_it_(const spdlog::details::log_msg& msg) override {
      std::lock_guard<std::mutex> guard{entries_mtx};
      entries.emplace_back(msg.level, std::string(msg.payload.begin(), msg.payload.end()));
    }
    void flush_() override {}
  };
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<sink> sink_;
};

} // namespace baikal::test
