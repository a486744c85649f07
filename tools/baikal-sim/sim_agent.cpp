#include "tools/baikal-sim/sim_agent.hpp"

#include <map>
#include <random>

#include <caf/atom.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/errors.hpp"

namespace baikal::sim {

namespace {

// The agent's own timers: an operation that takes simulated time finishes when its delayed
// message, carrying the operation's number, comes back.
using create_done_atom = caf::atom_constant<caf::atom("simcreate")>;
using pull_done_atom = caf::atom_constant<caf::atom("simpull")>;
using destroy_done_atom = caf::atom_constant<caf::atom("simdestroy")>;

using sim_agent_actor = agent_actor::extend<caf::reacts_to<create_done_atom, uint64_t>,
                                            caf::reacts_to<pull_done_atom, uint64_t>,
                                            caf::reacts_to<destroy_done_atom, uint64_t>>;

struct pending_create {
  op::create_kernels request;
  caf::typed_response_promise<created_kernels> promise;
};

struct pending_destroy {
  op::destroy_kernel request;
  caf::typed_response_promise<ack> promise;
};

struct sim_agent_state {
  std::shared_ptr<sim_agent_config> config;
  std::mt19937_64 rng;
  uint64_t next_op = 0;
  std::map<uint64_t, pending_create> creates;
  std::map<uint64_t, pending_destroy> destroys;
  std::map<uint64_t, image_pull_event> pulls;
  std::map<kernel_id, std::string> running; ///< kernel -> container id
  std::map<kernel_id, int> creating;        ///< kernels of creates not answered yet
  static inline const char* name = "baikal.sim_agent";
};

using self_ptr = sim_agent_actor::stateful_pointer<sim_agent_state>;

template <class Event> void report(self_ptr self, Event e) {
  if (self->state.config->sink)
    caf::anon_send(self->state.config->sink, std::move(e));
}

caf::error unsupported(const char* what) {
  return make_error(errc::runtime_error, std::string{"the simulated agent does not do "} + what);
}

void finish_create(self_ptr self, pending_create& p) {
  auto& cfg = *self->state.config;
  auto& x = p.request;
  for (auto& k : x.kernel_ids)
    self->state.creating.erase(k);
  if (cfg.fault == agent_fault::fails_create) {
    p.promise.deliver(make_error(errc::agent_error, create_failure_message(cfg.id)));
    return;
  }
  created_kernels out;
  out.kernels.reserve(x.kernel_ids.size());
  for (auto& k : x.kernel_ids) {
    kernel_info info{k, x.session, cfg.id, "127.0.0.1", "c-" + k, "default", {}, {}, {}};
    self->state.running[k] = info.container_id;
    report(self, kernel_started_event{{k, x.session, cfg.id, ""}, info});
    out.kernels.push_back(std::move(info));
  }
  p.promise.deliver(std::move(out));
}

void finish_destroy(self_ptr self, pending_destroy& p) {
  auto& x = p.request;
  if (self->state.running.erase(x.kernel) == 0) {
    p.promise.deliver(make_error(errc::not_found, "kernel " + x.kernel + " is not known"));
    return;
  }
  if (!x.suppress_events)
    report(self, kernel_terminated_event{{x.kernel, x.session, self->state.config->id, x.reason},
                                         caf::none});
  p.promise.deliver(ack{});
}

#define BAIKAL_SIM_UNSUPPORTED(name, R)                                                            \
  [](op::name&) -> caf::result<R> { return unsupported(#name); }

sim_agent_actor::behavior_type sim_agent(self_ptr self, std::shared_ptr<sim_agent_config> config) {
  self->state.rng.seed(config->seed);
  self->state.config = std::move(config);
  return {
      [self](op::check_and_pull& x) {
        auto& st = self->state;
        pull_jobs jobs;
        for (auto& entry : x.images) {
          auto job = "job-" + entry.first;
          jobs.jobs[entry.first] = job;
          report(self, image_pull_event{image_pull_event::phase::started, st.config->id,
                                        entry.first, job, "pulling", 0, 0, 0});
          image_pull_event done{image_pull_event::phase::finished,
                                st.config->id,
                                entry.first,
                                job,
                                "pulled",
                                0,
                                0,
                                0};
          if (st.config->pull.is_zero()) {
            report(self, std::move(done));
            continue;
          }
          auto n = st.next_op++;
          st.pulls.emplace(n, std::move(done));
          self->delayed_send(self, st.config->pull.draw(st.rng), pull_done_atom::value, n);
        }
        return jobs;
      },
      [self](pull_done_atom, uint64_t n) {
        auto i = self->state.pulls.find(n);
        if (i == self->state.pulls.end())
          return;
        report(self, std::move(i->second));
        self->state.pulls.erase(i);
      },
      [self](op::create_kernels& x) -> caf::result<created_kernels> {
        auto& st = self->state;
        for (auto& k : x.kernel_ids) {
          st.creating[k] = 1;
          kernel_event_header h{k, x.session, st.config->id, ""};
          report(self, kernel_preparing_event{h});
          report(self, kernel_creating_event{h});
        }
        auto promise = self->make_response_promise<created_kernels>();
        auto n = st.next_op++;
        auto& p = st.creates.emplace(n, pending_create{std::move(x), promise}).first->second;
        // A hanging agent keeps the request for ever: the session must time out.
        if (st.config->fault == agent_fault::hangs)
          return promise;
        if (st.config->create.is_zero()) {
          finish_create(self, p);
          st.creates.erase(n);
        } else {
          self->delayed_send(self, st.config->create.draw(st.rng), create_done_atom::value, n);
        }
        return promise;
      },
      [self](create_done_atom, uint64_t n) {
        auto i = self->state.creates.find(n);
        if (i == self->state.creates.end())
          return;
        finish_create(self, i->second);
        self->state.creates.erase(i);
      },
      [self](op::destroy_kernel& x) -> caf::result<ack> {
        auto& st = self->state;
        auto promise = self->make_response_promise<ack>();
        auto n = st.next_op++;
        auto& p = st.destroys.emplace(n, pending_destroy{std::move(x), promise}).first->second;
        if (st.config->destroy.is_zero()) {
          finish_destroy(self, p);
          st.destroys.erase(n);
        } else {
          self->delayed_send(self, st.config->destroy.draw(st.rng), destroy_done_atom::value, n);
        }
        return promise;
      },
      [self](destroy_done_atom, uint64_t n) {
        auto i = self->state.destroys.find(n);
        if (i == self->state.destroys.end())
          return;
        finish_destroy(self, i->second);
        self->state.destroys.erase(i);
      },
      [self](op::sync_kernel_registry& x) {
        for (auto& ks : x.kernels)
          if (!self->state.running.count(ks.kernel) && !self->state.creating.count(ks.kernel))
            report(self, kernel_terminated_event{{ks.kernel, ks.session, self->state.config->id,
                                                  lifecycle_reason::already_terminated},
                                                 caf::none});
        return ack{};
      },
      [](op::create_local_network&) { return ack{}; },
      [](op::destroy_local_network&) { return ack{}; },
      [self](op::check_pulling&) {
        return probe_result{!self->state.pulls.empty(), "simulated pulls"};
      },
      [self](op::check_creating& x) {
        bool busy = self->state.creating.count(x.kernel) > 0;
        return probe_result{busy, busy ? "being created" : "not being created"};
      },
      [self](op::check_running& x) {
        auto i = self->state.running.find(x.kernel);
        if (i == self->state.running.end())
          return probe_result{false, "kernel " + x.kernel + " is not running"};
        return probe_result{true, "container " + i->second};
      },
      [](op::ping& x) { return x.msg; },
      [](op::assign_port&) { return assigned_port{30001}; },
      [](op::release_port&) { return ack{}; },
      [](op::update_scaling_group&) { return ack{}; },
      [](op::gather_hwinfo&) { return hardware_info{}; },
      [](op::shutdown&) { return ack{}; },
      BAIKAL_SIM_UNSUPPORTED(ping_kernel, kernel_ping),
      BAIKAL_SIM_UNSUPPORTED(restart_kernel, kernel_info),
      BAIKAL_SIM_UNSUPPORTED(interrupt_kernel, ack),
      BAIKAL_SIM_UNSUPPORTED(get_completions, completion_result),
      BAIKAL_SIM_UNSUPPORTED(get_logs, kernel_logs),
      BAIKAL_SIM_UNSUPPORTED(execute, execution_result),
      BAIKAL_SIM_UNSUPPORTED(trigger_batch_execution, ack),
      BAIKAL_SIM_UNSUPPORTED(start_service, service_result),
      BAIKAL_SIM_UNSUPPORTED(shutdown_service, ack),
      BAIKAL_SIM_UNSUPPORTED(accept_file, ack),
      BAIKAL_SIM_UNSUPPORTED(download_file, file_bytes),
      BAIKAL_SIM_UNSUPPORTED(download_single, file_bytes),
      BAIKAL_SIM_UNSUPPORTED(list_files, file_listing),
      BAIKAL_SIM_UNSUPPORTED(get_commit_status, commit_state),
      BAIKAL_SIM_UNSUPPORTED(commit, ack),
      BAIKAL_SIM_UNSUPPORTED(push_image, ack),
      BAIKAL_SIM_UNSUPPORTED(purge_images, purge_images_resp),
  };
}

#undef BAIKAL_SIM_UNSUPPORTED

} // namespace

std::string to_string(agent_fault x) {
  switch (x) {
  case agent_fault::fails_create:
    return "fails-create";
  case agent_fault::hangs:
    return "hangs";
  case agent_fault::silent:
    return "silent";
  default:
    return "healthy";
  }
}

std::string create_failure_message(const agent_id& id) {
  return "simulated create_kernels failure on agent " + id;
}

agent_actor spawn_sim_agent(caf::actor_system& sys, std::shared_ptr<sim_agent_config> config) {
  return caf::actor_cast<agent_actor>(sys.spawn(sim_agent, std::move(config)));
}

} // namespace baikal::sim
