#pragma once

/// An agent double for manager tests: it keeps the kernels it "runs" and the networks it
/// "made", answers the probes from that (check_running, check_creating, check_pulling), and
/// reports events to the sink it is given, or drops every event when told to (the manager must
/// then get by with the probes). Everything it did is in a thread-safe `fake_agent_log`.
/// Send exit to every fake agent before the actor system goes away.

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/agent_interface.hpp"
#include "messages/errors.hpp"

namespace baikal::test {

/// What a fake agent does and has done; shared between its actor and the test.
struct fake_agent_log {
  std::mutex mtx;
  event_sink_actor sink;    ///< where events go (set after registration)
  bool drop_events = false; ///< never report anything
  caf::error create_error;  ///< create_kernels answers this when set
  /// This many create_kernels calls succeed but their kernels are gone at once.
  size_t lose_creates = 0;
  std::map<kernel_id, std::string> running; ///< kernel -> container
  std::set<std::string> networks;
  size_t pulls = 0;
  size_t creates = 0;
  size_t destroyed = 0;
  size_t network_destroys = 0;
  std::vector<std::vector<kernel_session>> syncs;

  template <class F> auto with(F f) {
    std::lock_guard<std::mutex> guard{mtx};
    return f(*this);
  }
};

using fake_agent_log_ptr = std::shared_ptr<fake_agent_log>;

namespace detail {

template <class Event> void report(const fake_agent_log_ptr& log, Event e) {
  auto sink =
      log->with([](fake_agent_log& l) { return l.drop_events ? event_sink_actor{} : l.sink; });
  if (sink)
    caf::anon_send(sink, std::move(e));
}

inline caf::error fake_unsupported(const char* what) {
  return make_error(errc::runtime_error, std::string{"the fake agent does not do "} + what);
}

#define BAIKAL_FAKE_UNSUPPORTED(name, R)                                                           \
  [](op::name&) -> caf::result<R> { return fake_unsupported(#name); }

inline agent_actor::behavior_type fake_agent(agent_actor::pointer, agent_id id,
                                             fake_agent_log_ptr log) {
  return {
      [=](op::check_and_pull& x) {
        pull_jobs jobs;
        log->with([](fake_agent_log& l) { return ++l.pulls; });
        for (auto& entry : x.images) {
          jobs.jobs[entry.first] = "job-" + entry.first;
          report(log, image_pull_event{image_pull_event::phase::started, id, entry.first,
                                       "job-" + entry.first, "pulling", 0, 0, 0});
          report(log, image_pull_event{image_pull_event::phase::finished, id, entry.first,
                                       "job-" + entry.first, "image already exists", 0, 0, 0});
        }
        return jobs;
      },
      [=](op::create_kernels& x) -> caf::result<created_kernels> {
        caf::error err;
        bool lose = false;
        log->with([&](fake_agent_log& l) {
          ++l.creates;
          err = l.create_error;
          lose = l.lose_creates > 0;
          if (lose)
            --l.lose_creates;
          return 0;
        });
        if (err)
          return err;
        created_kernels out;
        for (auto& k : x.kernel_ids) {
          kernel_info info{k, x.session, id, "127.0.0.1", "c-" + k, "default", {}, {}, {}};
          log->with([&](fake_agent_log& l) {
            if (!lose)
              l.running[k] = info.container_id;
            return 0;
          });
          kernel_event_header h{k, x.session, id, ""};
          report(log, kernel_preparing_event{h});
          report(log, kernel_creating_event{h});
          report(log, kernel_started_event{h, info});
          out.kernels.push_back(std::move(info));
        }
        return out;
      },
      [=](op::destroy_kernel& x) -> caf::result<ack> {
        bool known = log->with([&](fake_agent_log& l) {
          ++l.destroyed;
          return l.running.erase(x.kernel) > 0;
        });
        if (!known)
          return make_error(errc::not_found, "kernel " + x.kernel + " is not known");
        if (!x.suppress_events)
          report(log, kernel_terminated_event{{x.kernel, x.session, id, x.reason}, caf::none});
        return ack{};
      },
      [=](op::sync_kernel_registry& x) {
        std::vector<kernel_terminated_event> gone;
        log->with([&](fake_agent_log& l) {
          l.syncs.push_back(x.kernels);
          for (auto& ks : x.kernels)
            if (!l.running.count(ks.kernel))
              gone.push_back(
                  {{ks.kernel, ks.session, id, lifecycle_reason::already_terminated}, caf::none});
          return 0;
        });
        for (auto& e : gone)
          report(log, e);
        return ack{};
      },
      [=](op::create_local_network& x) {
        log->with([&](fake_agent_log& l) { return l.networks.insert(x.network_name); });
        return ack{};
      },
      [=](op::destroy_local_network& x) {
        log->with([&](fake_agent_log& l) {
          ++l.network_destroys;
          return l.networks.erase(x.network_name);
        });
        return ack{};
      },
      [=](op::check_pulling&) {
        return probe_result{false, "no pull running"};
      },
      [=](op::check_creating&) {
        return probe_result{false, "not being created"};
      },
      [=](op::check_running& x) {
        auto container = log->with([&](fake_agent_log& l) {
          auto i = l.running.find(x.kernel);
          return i == l.running.end() ? std::string{} : i->second;
        });
        if (container.empty())
          return probe_result{false, "kernel " + x.kernel + " is not running"};
        return probe_result{true, "container " + container};
      },
      [=](op::ping& x) { return x.msg; },
      [](op::assign_port&) { return assigned_port{30001}; },
      [](op::release_port&) { return ack{}; },
      BAIKAL_FAKE_UNSUPPORTED(update_scaling_group, ack),
      BAIKAL_FAKE_UNSUPPORTED(gather_hwinfo, hardware_info),
      BAIKAL_FAKE_UNSUPPORTED(ping_kernel, kernel_ping),
      BAIKAL_FAKE_UNSUPPORTED(shutdown, ack),
      BAIKAL_FAKE_UNSUPPORTED(restart_kernel, kernel_info),
      BAIKAL_FAKE_UNSUPPORTED(interrupt_kernel, ack),
      BAIKAL_FAKE_UNSUPPORTED(get_completions, completion_result),
      BAIKAL_FAKE_UNSUPPORTED(get_logs, kernel_logs),
      BAIKAL_FAKE_UNSUPPORTED(execute, execution_result),
      BAIKAL_FAKE_UNSUPPORTED(trigger_batch_execution, ack),
      BAIKAL_FAKE_UNSUPPORTED(start_service, service_result),
      BAIKAL_FAKE_UNSUPPORTED(shutdown_service, ack),
      BAIKAL_FAKE_UNSUPPORTED(accept_file, ack),
      BAIKAL_FAKE_UNSUPPORTED(download_file, file_bytes),
      BAIKAL_FAKE_UNSUPPORTED(download_single, file_bytes),
      BAIKAL_FAKE_UNSUPPORTED(list_files, file_listing),
      BAIKAL_FAKE_UNSUPPORTED(get_commit_status, commit_state),
      BAIKAL_FAKE_UNSUPPORTED(commit, ack),
      BAIKAL_FAKE_UNSUPPORTED(push_image, ack),
      BAIKAL_FAKE_UNSUPPORTED(purge_images, purge_images_resp),
  };
}

#undef BAIKAL_FAKE_UNSUPPORTED

} // namespace detail

inline agent_actor spawn_fake_agent(caf::actor_system& sys, agent_id id, fake_agent_log_ptr log) {
  return sys.spawn(detail::fake_agent, std::move(id), std::move(log));
}

} // namespace baikal::test
