#include "tools/baikal-sim/sim_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <thread>
#include <unordered_map>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/manager/manager.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "messages/status_types.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/cluster/registry_endpoint.hpp"
#include "runtime/ssh/keypair.hpp"
#include "tools/baikal-sim/agent_host_group.hpp"
#include "tools/baikal-sim/fleet.hpp"
#include "tools/baikal-sim/process_stats.hpp"
#include "tools/baikal-sim/workload.hpp"

namespace baikal::sim {

namespace {

using namespace std::chrono_literals;

constexpr auto ask_timeout = std::chrono::seconds{120};
constexpr auto poll_every = std::chrono::milliseconds{20};
/// How long the child processes may take to get all their agents registered.
constexpr auto join_limit = std::chrono::seconds{300};
/// How long a child may take to report its figures once told to finish.
constexpr auto finish_limit = std::chrono::seconds{60};

/// The value of the metric line `name VALUE` in the manager's metrics text; 0 when absent.
uint64_t metric_value(const std::string& metrics, const std::string& name) {
  auto at = metrics.find("\n" + name + " ");
  if (at == std::string::npos)
    return 0;
  return std::strtoull(metrics.c_str() + at + name.size() + 2, nullptr, 10);
}

/// Sessions by status from the manager's metrics text.
std::map<session_status, size_t> status_counts(const std::string& metrics) {
  static const std::regex line{"baikal_sessions\\{status=\"([A-Z_]+)\"\\} (\\d+)"};
  std::map<session_status, size_t> out;
  for (std::sregex_iterator i{metrics.begin(), metrics.end(), line}, end; i != end; ++i) {
    auto status = session_status_from((*i)[1].str());
    if (auto n = checks::parse_unsigned((*i)[2].str()); status && n)
      out[*status] = static_cast<size_t>(*n);
  }
  return out;
}

template <class Result, class Handle, class Request>
caf::expected<Result> ask(caf::scoped_actor& self, const Handle& h, Request req) {
  caf::expected<Result> out{caf::error{}};
  self->request(h, ask_timeout, std::move(req))
      .receive([&](Result& r) { out = std::move(r); },
               [&](caf::error& err) { out = std::move(err); });
  return out;
}

/// Actors the run spawned besides the manager's; told to exit when the run ends, whichever
/// way it ends.
struct spawned_actors {
  std::vector<caf::actor> actors;
  template <class Handle> void add(const Handle& h) {
    actors.push_back(caf::actor_cast<caf::actor>(h));
  }
  ~spawned_actors() {
    for (auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }
};

/// The in-process fleet: every agent spawned here and registered through the registry, and
/// a heartbeat driver for those that are not silent.
caf::error join_local_fleet(caf::actor_system& sys, caf::scoped_actor& self,
                            const manager_handles& m, const sim_options& o,
                            const std::vector<agent_fault>& faults, spawned_actors& out) {
  auto capacity = agent_capacity(o);
  std::vector<agent_id> beating;
  for (size_t i = 0; i < o.agents; ++i) {
    auto cfg = agent_config_for(o, i, faults[i]);
    auto handle = spawn_sim_agent(sys, cfg);
    out.add(handle);
    auto reg = ask<agent_registration>(
        self, m.registry,
        op::register_agent{cfg->id, "sim://" + cfg->id, "default", capacity, {}, handle, {}, {}});
    if (!reg)
      return reg.error();
    cfg->ledger->with([&](agent_double::ledger& l) { return l.sink = reg->events; });
    if (cfg->fault != agent_fault::silent)
      beating.push_back(cfg->id);
  }
  out.add(spawn_heartbeats(sys, m.registry, std::move(beating), capacity, heartbeat_interval));
  return caf::none;
}

/// The multi-process fleet: the registry published on a loopback port and the children
/// started against it; answers once every child's agents joined.
caf::expected<agent_host_group> join_remote_fleet(caf::actor_system& sys, const manager_handles& m,
                                                  const sim_options& o) {
  cluster::node_settings node;
  node.listen = host_port{"127.0.0.1", 0};
  auto port = cluster::publish_registry(sys, m.registry, node);
  if (!port)
    return port.error();
  auto program = own_executable();
  if (!program)
    return program.error();
  auto group = agent_host_group::start(*program, o, host_port{"127.0.0.1", *port});
  if (!group)
    return group.error();
  if (auto err = group->wait_ready(sim_clock::now() + join_limit))
    return err;
  return group;
}

/// Waits until the driver has every answer and every accepted session is RUNNING or final;
/// false when `limit` passed first.
bool wait_settled(caf::scoped_actor& self, const manager_handles& m, const launch_log_ptr& log,
                  size_t sessions, std::chrono::duration<double> limit) {
  auto deadline = sim_clock::now() + limit;
  while (sim_clock::now() < deadline) {
    std::this_thread::sleep_for(poll_every);
    auto answered = log->with([](launch_log& l) { return l.answered; });
    if (answered < sessions)
      continue;
    auto text = ask<std::string>(self, m.front, api::get_metrics{});
    if (!text)
      continue;
    auto counts = status_counts(*text);
    auto accepted = log->with([](launch_log& l) {
      return static_cast<size_t>(
          std::count_if(l.ids.begin(), l.ids.end(), [](auto& id) { return !id.empty(); }));
    });
    if (counts[session_status::running] + counts[session_status::error] +
            counts[session_status::terminated] >=
        accepted)
      return true;
  }
  return false;
}

/// Every accepted session as the manager lists it, in one request: asking for each session on
/// its own took minutes at 100,000. A session missing from the list is lost.
std::vector<session_outcome> read_back(caf::scoped_actor& self, const manager_handles& m,
                                       const launch_log_ptr& log, const std::string& owner) {
  auto ids = log->with([](launch_log& l) { return l.ids; });
  auto listed = ask<std::vector<session_record>>(self, m.front, api::list_sessions{owner, {}});
  std::unordered_map<session_id, session_record*> by_id;
  if (listed)
    for (auto& rec : *listed)
      by_id.emplace(rec.spec.id, &rec);
  std::vector<session_outcome> out;
  out.reserve(ids.size());
  for (auto& id : ids) {
    if (id.empty())
      continue;
    session_outcome o;
    o.id = id;
    if (!listed)
      o.lookup_error = "listing the sessions failed: " + message_of(listed.error());
    else if (auto i = by_id.find(id); i != by_id.end())
      o.record = std::move(*i->second);
    else
      o.lookup_error = "the manager does not list it";
    out.push_back(std::move(o));
  }
  return out;
}

/// Launch latencies (create_session sent to the session's last kernel_started seen by the
/// event recorder) of the RUNNING sessions, and the time of the last of those events.
void measure_latencies(const launch_log_ptr& log, const std::vector<session_outcome>& outcomes,
                       sim_clock::time_point t0, sim_figures& f) {
  std::map<session_id, size_t> index;
  log->with([&](launch_log& l) {
    for (size_t i = 0; i < l.ids.size(); ++i)
      if (!l.ids[i].empty())
        index[l.ids[i]] = i;
    sim_clock::time_point last = t0;
    for (auto& o : outcomes) {
      if (!o.record || o.record->status != session_status::running)
        continue;
      ++f.running;
      auto s = l.started.find(o.id);
      if (s == l.started.end())
        continue;
      auto sent = l.sent[index[o.id]];
      f.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(s->second.last - sent).count());
      last = std::max(last, s->second.last);
    }
    f.to_running_s = std::chrono::duration<double>(last - t0).count();
    // All at once is as fast as the driver sends: each latency counts from its own create.
    if (!l.sent.empty())
      f.sending_s =
          std::chrono::duration<double>(*std::max_element(l.sent.begin(), l.sent.end()) - t0)
              .count();
    return 0;
  });
}

std::map<std::string, std::string> describe(const sim_options& o) {
  return {{"agents", std::to_string(o.agents)},
          {"sessions", std::to_string(o.sessions)},
          {"multi_kernel_share", std::to_string(o.multi_kernel_share)},
          {"cluster_size", std::to_string(o.cluster_size)},
          {"arrival", o.arrival_rate > 0 ? std::to_string(o.arrival_rate) : "all"},
          {"latency_pull_ms", to_string(o.pull)},
          {"latency_create_ms", to_string(o.create)},
          {"latency_destroy_ms", to_string(o.destroy)},
          {"fail_create_share", std::to_string(o.fail_create_share)},
          {"silent_share", std::to_string(o.silent_share)},
          {"hang_share", std::to_string(o.hang_share)},
          {"park_idle_after_s", std::to_string(o.park_idle_after_s)},
          {"store", o.store},
          {"threads", std::to_string(o.threads)},
          {"agent_processes", std::to_string(o.agent_processes)}};
}

/// The run once the manager is up: the fleet joins, the workload runs, the sessions are read
/// back and checked, and the children (if any) report their figures.
caf::expected<sim_figures> run_with_manager(caf::actor_system& sys, const manager_handles& m,
                                            const sim_options& opts) {
  caf::scoped_actor self{sys};
  spawned_actors spawned;
  auto faults = assign_faults(opts);
  std::optional<agent_host_group> hosts;
  if (opts.agent_processes > 0) {
    auto group = join_remote_fleet(sys, m, opts);
    if (!group)
      return group.error();
    hosts.emplace(std::move(*group));
  } else if (auto err = join_local_fleet(sys, self, m, opts, faults, spawned)) {
    return err;
  }
  auto log = std::make_shared<launch_log>(opts.sessions);
  auto failing = failing_agents(faults);
  auto failing_count = failing.size();
  auto recorder = spawn_event_recorder(sys, log, std::move(failing));
  spawned.add(recorder);
  auto sub = ask<ack>(self, m.front, api::subscribe_events{recorder});
  if (!sub)
    return sub.error();

  workload_plan plan;
  plan.sessions = opts.sessions;
  plan.multi_kernel_share = opts.multi_kernel_share;
  plan.cluster_size = opts.cluster_size;
  plan.arrival_rate = opts.arrival_rate;

  sim_figures f;
  f.parameters = describe(opts);
  f.sessions = opts.sessions;
  f.injected = fault_counts(faults);
  f.rss_before = resident_bytes();
  f.heap_before = heap_in_use_bytes();
  auto cpu0 = process_cpu_seconds();
  auto t0 = sim_clock::now();
  spawned.add(spawn_driver(sys, m.front, plan, log));
  bool settled =
      wait_settled(self, m, log, opts.sessions, std::chrono::duration<double>(opts.max_wait_s));
  f.wall_s = std::chrono::duration<double>(sim_clock::now() - t0).count();
  f.cpu_s = process_cpu_seconds() - cpu0;
  f.rss_after = resident_bytes();
  f.heap_after = heap_in_use_bytes();
  if (opts.idle_wait_s > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(opts.idle_wait_s));
    f.idle_wait_s = opts.idle_wait_s;
    f.rss_idle = resident_bytes();
    f.heap_idle = heap_in_use_bytes();
    if (auto text = ask<std::string>(self, m.front, api::get_metrics{}))
      f.parked_idle = metric_value(*text, "baikal_sessions_parked");
    if (!opts.heap_profile.empty() && !dump_heap_profile(opts.heap_profile))
      std::fprintf(stderr, "baikal-sim: no heap profile written: run it with "
                           "MALLOC_CONF=prof:true (and jemalloc)\n");
  }

  auto outcomes = read_back(self, m, log, plan.owner);
  auto refused = log->with([](launch_log& l) {
    return static_cast<size_t>(
        std::count_if(l.refusals.begin(), l.refusals.end(), [](auto& r) { return !r.empty(); }));
  });
  f.checks = check_sessions(outcomes, faults_by_id(faults), refused);
  auto placed = log->with([](launch_log& l) { return l.placed_on_watched.size(); });
  // Every agent has the same slots: the failing agents' share of capacity is their share.
  check_failing_share(f.checks, placed, outcomes.size(),
                      opts.agents == 0
                          ? 0.0
                          : static_cast<double>(failing_count) / static_cast<double>(opts.agents));
  if (!settled)
    f.checks.problems.insert(f.checks.problems.begin(),
                             "not every session settled within --max-wait");
  auto unanswered = opts.sessions - log->with([](launch_log& l) { return l.answered; });
  if (unanswered > 0)
    f.checks.problems.push_back(std::to_string(unanswered) +
                                " create_session requests never got an answer");
  measure_latencies(log, outcomes, t0, f);
  f.peak_rss = peak_resident_bytes();
  f.processes.push_back(this_process("manager", hosts ? 0 : opts.agents));
  if (hosts)
    for (auto& p : hosts->finish(sim_clock::now() + finish_limit, f.checks.problems))
      f.processes.push_back(std::move(p));
  return f;
}

} // namespace

caf::expected<sim_figures> run_simulation(const sim_options& opts) {
  auto keys = ssh::generate_cluster_keypair();
  if (!keys)
    return keys.error();
  caf::actor_system_config cfg;
  announce_message_types(cfg);
  if (opts.agent_processes > 0)
    cluster::configure_node(cfg, {});
  cfg.set("scheduler.max-threads", opts.threads);
  configure_manager_scheduler(cfg);
  caf::actor_system sys{cfg};

  manager_settings settings;
  settings.store_path = opts.store;
  settings.scheduling_policy = "dispersed";
  settings.heartbeat_interval = heartbeat_interval;
  settings.session_start_timeout =
      std::chrono::milliseconds{static_cast<int64_t>(opts.session_timeout_s * 1000)};
  settings.phase_probe_after = settings.session_start_timeout / 2;
  settings.park_idle_after =
      std::chrono::milliseconds{static_cast<int64_t>(opts.park_idle_after_s * 1000)};
  settings.keypairs = [ready = *keys]() -> caf::expected<ssh_keypair> { return ready; };
  auto m = spawn_manager(sys, settings);
  if (!m)
    return m.error();
  auto figures = run_with_manager(sys, *m, opts);
  caf::scoped_actor self{sys};
  caf::anon_send_exit(m->front, caf::exit_reason::user_shutdown);
  self->wait_for(m->front, m->registry);
  return figures;
}

} // namespace baikal::sim
