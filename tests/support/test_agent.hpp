#pragma once

/// Test doubles for what the manager talks to (the spec's "Mock" targets):
///  - a test agent: the agent double (actors/agent_double) recording what the launcher asks
///    into a thread-safe recorder and answering configured results, errors and delays;
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
#include <caf/typed_event_based_actor.hpp>

#include "actors/agent_double/agent_double.hpp"
#include "messages/agent_interface.hpp"
#include "messages/errors.hpp"
#include "messages/store_interface.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/network/network_plugin.hpp"
#include "support/log_capture.hpp"

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
  std::map<std::string, std::string> pull_result; ///< image -> job id; default "job-IMAGE"
  caf::error create_error;
  std::chrono::milliseconds create_delay{0};
  caf::error network_error;
  caf::error port_error;
  uint16_t port = 12345;
};

/// A test agent named `id`, as the agent interface: the agent double answering what the
/// launcher asks, recording each of those requests into `rec` as it arrives.
inline agent_actor spawn_test_agent(caf::actor_system& sys, agent_id id, recorder_ptr rec,
                                    agent_script script = {}) {
  agent_double::options opts;
  opts.id = id;
  opts.pull_jobs = script.pull_result;
  if (script.create_delay.count() > 0)
    opts.create = agent_double::fixed_delay(script.create_delay);
  opts.port = script.port;
  opts.destroy_unknown_fails = false;
  auto record = [rec, id](auto add) { rec->on_agent(id, add); };
  opts.watch<op::check_and_pull>(
      [=](const op::check_and_pull& x) { record([&](agent_calls& c) { c.pulls.push_back(x); }); });
  opts.watch<op::create_kernels>([=](const op::create_kernels& x) {
    record([&](agent_calls& c) { c.creates.push_back(x); });
  });
  opts.watch<op::create_local_network>([=](const op::create_local_network& x) {
    record([&](agent_calls& c) { c.local_networks.push_back(x.network_name); });
  });
  opts.watch<op::assign_port>(
      [=](const op::assign_port&) { record([](agent_calls& c) { ++c.assign_ports; }); });
  opts.watch<op::destroy_kernel>(
      [=](const op::destroy_kernel&) { record([](agent_calls& c) { ++c.destroys; }); });
  opts.watch<op::destroy_local_network>(
      [=](const op::destroy_local_network&) { record([](agent_calls& c) { ++c.destroys; }); });
  // The launcher's agent asks nothing else: anything more is a surprise the test should see.
  opts.refuse<op::ping>();
  opts.refuse<op::sync_kernel_registry>();
  opts.refuse<op::release_port>();
  opts.refuse<op::check_pulling>();
  opts.refuse<op::check_creating>();
  opts.refuse<op::check_running>();
  opts.refuse<op::update_scaling_group>();
  opts.refuse<op::gather_hwinfo>();
  opts.refuse<op::shutdown>();
  auto book = std::make_shared<agent_double::ledger>();
  book->fail<op::check_and_pull>(script.pull_error);
  book->fail<op::create_kernels>(script.create_error);
  book->fail<op::create_local_network>(script.network_error);
  book->fail<op::assign_port>(script.port_error);
  return agent_double::spawn(sys, std::move(opts), std::move(book));
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

} // namespace baikal::test
