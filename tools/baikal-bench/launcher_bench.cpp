// launcher: sessions per second through the real launcher (actors/manager/launcher.hpp) with
// instant agents, so what is measured is the manager's own work per session: the session
// starter actor, the network plan, the repository write, the keypair from a keygen worker, the
// kernel creation config and the create_kernels round trip. The keypair source hands out one
// pair made at start (RSA generation is not the launcher's cost; the keygen worker hop is).
//
// In-process: agents live in the launcher's actor system. With --middleman, a second actor
// system in this process publishes the agents on loopback and the launcher's system reaches
// them through CAF's middleman (every create_kernels serialised both ways).

#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/publish.hpp>
#include <caf/io/remote_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/launcher.hpp"
#include "actors/manager/manager.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/ssh/keypair.hpp"
#include "tools/baikal-bench/benchmarks.hpp"
#include "tools/baikal-bench/instant_agent.hpp"
#include "tools/baikal-bench/stats.hpp"

namespace baikal::bench {

namespace {

constexpr size_t default_rounds = 3;
constexpr const char* bench_image = "cr.backend.ai/stable/python:3.9";

session_repository_actor::behavior_type instant_repository() {
  return {
      [](repo::update_session_network_id&) { return ack{}; },
      [](repo::update_session_error_info&) { return ack{}; },
  };
}

std::map<std::string, image_config> bench_images() {
  image_config x;
  x.canonical = bench_image;
  x.architecture = "x86_64";
  x.project = "stable";
  x.registry = {"cr.backend.ai", "https://cr.backend.ai", "", ""};
  return {{bench_image, x}};
}

/// `n` single-kernel sessions, kernel i on agent i % agents; ids carry `tag` to stay unique.
std::vector<scheduled_session> make_sessions(size_t n, const std::vector<agent_id>& agents,
                                             const std::string& tag) {
  std::vector<scheduled_session> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto id = tag + "-" + std::to_string(i);
    kernel_binding k;
    k.id = "k" + id;
    k.agent = agents[i % agents.size()];
    k.agent_addr = "tcp://127.0.0.1:6001";
    k.image = bench_image;
    k.architecture = "x86_64";
    k.role = cluster_role::main;
    k.cluster_idx = 1;
    k.cluster_hostname = "main1";
    k.slots = {{"cpu", 1}, {"mem", 1073741824}};
    scheduled_session s;
    s.id = "s" + id;
    s.name = "bench-" + id;
    s.user_uuid = "u-bench";
    s.access_key = "AKIABENCH";
    s.cluster_size = 1;
    s.scaling_group = "default";
    s.kernels = {std::move(k)};
    out.push_back(std::move(s));
  }
  return out;
}

struct launch_run {
  double seconds = 0;
  double cpu_seconds = 0;
  std::vector<double> latencies; ///< per session: its batch's start to its create_kernels
};

/// Starts `sessions` in batches of `batch` (one start_sessions call each, one after the
/// other) and checks that every session started and every kernel reached an agent.
launch_run launch(caf::actor_system& sys, const launcher_actor& launcher,
                  std::vector<scheduled_session> sessions, size_t batch,
                  const std::shared_ptr<arrival_log>& log) {
  auto images = bench_images();
  caf::scoped_actor self{sys};
  launch_run run;
  auto before = log->times().size();
  auto kernels_before = log->kernels();
  auto cpu_start = process_cpu_seconds();
  auto start = bench_clock::now();
  for (size_t first = 0; first < sessions.size(); first += batch) {
    auto last = std::min(sessions.size(), first + batch);
    std::vector<scheduled_session> part(std::make_move_iterator(sessions.begin() + first),
                                        std::make_move_iterator(sessions.begin() + last));
    auto batch_start = bench_clock::now();
    auto seen = log->times().size();
    start_sessions_report report;
    std::string failure;
    self->request(launcher, std::chrono::seconds(600), op::start_sessions{part, images, {}})
        .receive([&](start_sessions_report& r) { report = std::move(r); },
                 [&](caf::error& err) { failure = message_of(err); });
    if (!failure.empty())
      throw std::runtime_error("start_sessions failed: " + failure);
    if (report.outcomes.size() != part.size())
      throw std::runtime_error("start_sessions answered " + std::to_string(report.outcomes.size()) +
                               " outcomes for " + std::to_string(part.size()) + " sessions");
    for (auto& o : report.outcomes)
      if (!o.error.empty())
        throw std::runtime_error("session " + o.session + " failed: " + o.message);
    auto times = log->times();
    for (size_t i = seen; i < times.size(); ++i)
      run.latencies.push_back(std::chrono::duration<double>(times[i] - batch_start).count());
  }
  run.seconds = seconds_since(start);
  run.cpu_seconds = process_cpu_seconds() - cpu_start;
  if (log->times().size() - before != sessions.size() ||
      log->kernels() - kernels_before != sessions.size())
    throw std::runtime_error("the agents saw " + std::to_string(log->kernels() - kernels_before) +
                             " kernels for " + std::to_string(sessions.size()) + " sessions");
  return run;
}

/// What both set-ups share: the launcher's own actor system and what it talks to.
struct launcher_side {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  session_repository_actor repository;
  launcher_actor launcher;

  launcher_side(size_t threads, bool with_middleman) {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", threads);
    configure_manager_scheduler(cfg); // the launcher runs in the manager's process
    if (with_middleman)
      cfg.load<caf::io::middleman>();
    sys = std::make_unique<caf::actor_system>(cfg);
    repository = sys->spawn(instant_repository);
  }

  void start(agent_directory agents, const ssh_keypair& keys) {
    launcher_config config;
    config.session_start_timeout = std::chrono::seconds(600);
    launcher =
        spawn_launcher(*sys, config, {std::move(agents), repository, {}, [keys] { return keys; }});
  }

  ~launcher_side() {
    caf::anon_send_exit(launcher, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(repository, caf::exit_reason::user_shutdown);
    sys.reset();
  }
};

/// Agents in their own actor system, published on loopback.
struct agent_host {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::vector<agent_actor> agents;
  std::vector<uint16_t> ports;

  agent_host(size_t threads, const std::vector<agent_id>& ids, std::shared_ptr<arrival_log> log) {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", threads);
    cfg.load<caf::io::middleman>();
    sys = std::make_unique<caf::actor_system>(cfg);
    for (auto& id : ids) {
      agents.push_back(spawn_instant_agent(*sys, id, log));
      auto port = caf::io::publish(agents.back(), 0, "127.0.0.1", true);
      if (!port)
        throw std::runtime_error("cannot publish an agent: " + sys->render(port.error()));
      ports.push_back(*port);
    }
  }

  ~agent_host() {
    for (auto& a : agents)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sys.reset();
  }
};

struct launch_summary {
  double sessions_per_s = 0;
  double sessions_per_cpu_s = 0;
  summary latency;
};

launch_summary run_rounds(caf::actor_system& sys, const launcher_actor& launcher,
                          const std::vector<agent_id>& ids, const bench_options& opts,
                          size_t rounds, const std::shared_ptr<arrival_log>& log,
                          const std::string& tag) {
  std::vector<double> rate, per_cpu, latencies;
  auto batch = opts.batch ? opts.batch : opts.sessions;
  for (size_t round = 0; round < rounds; ++round) {
    auto sessions = make_sessions(opts.sessions, ids, tag + std::to_string(round));
    auto run = launch(sys, launcher, std::move(sessions), batch, log);
    rate.push_back(static_cast<double>(opts.sessions) / run.seconds);
    per_cpu.push_back(static_cast<double>(opts.sessions) / run.cpu_seconds);
    latencies.insert(latencies.end(), run.latencies.begin(), run.latencies.end());
  }
  return {summarize(rate).median, summarize(per_cpu).median, summarize(latencies)};
}

void add_rows(report& r, const std::string& where, const launch_summary& s) {
  figure_row per_core{
      where + ": sessions per CPU-second", "sessions/s", "launcher", s.sessions_per_cpu_s, "", 0,
      ">= 20000 per manager core",         std::nullopt};
  per_core.met = s.sessions_per_cpu_s >= 20000;
  r.rows.push_back(per_core);
  r.rows.push_back({where + ": sessions per second (wall)", "sessions/s", "launcher",
                    s.sessions_per_s, "", 0, "", std::nullopt});
  r.rows.push_back({where + ": launch latency p50", "ms", "launcher", s.latency.median * 1e3, "", 0,
                    "", std::nullopt});
  r.rows.push_back({where + ": launch latency p99", "ms", "launcher", s.latency.p99 * 1e3, "", 0,
                    "", std::nullopt});
}

} // namespace

report run_launcher(const bench_options& opts, const bench_env&) {
  report r;
  r.benchmark = "launcher";
  auto rounds = opts.rounds ? opts.rounds : default_rounds;
  auto batch = opts.batch ? opts.batch : opts.sessions;
  r.parameters = {{"sessions", std::to_string(opts.sessions)},
                  {"agents", std::to_string(opts.agents)},
                  {"batch", std::to_string(batch)},
                  {"rounds", std::to_string(rounds)},
                  {"threads", std::to_string(opts.threads)}};
  auto keys = ssh::generate_cluster_keypair();
  if (!keys)
    throw std::runtime_error("cannot make the cluster keypair: " + message_of(keys.error()));
  std::vector<agent_id> ids;
  for (size_t i = 0; i < opts.agents; ++i)
    ids.push_back("bench-a" + std::to_string(i));
  {
    auto log = std::make_shared<arrival_log>();
    log->reserve(opts.sessions * rounds);
    launcher_side side{opts.threads, false};
    agent_directory agents;
    std::vector<agent_actor> spawned;
    for (auto& id : ids)
      spawned.push_back(agents[id] = spawn_instant_agent(*side.sys, id, log));
    side.start(agents, *keys);
    auto s = run_rounds(*side.sys, side.launcher, ids, opts, rounds, log, "in");
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    add_rows(r, "in-process", s);
  }
  if (opts.middleman) {
    auto log = std::make_shared<arrival_log>();
    log->reserve(opts.sessions * rounds);
    agent_host host{opts.threads, ids, log};
    launcher_side side{opts.threads, true};
    agent_directory agents;
    for (size_t i = 0; i < ids.size(); ++i) {
      auto remote = caf::io::remote_actor<agent_actor>(*side.sys, "127.0.0.1", host.ports[i]);
      if (!remote)
        throw std::runtime_error("cannot reach agent " + ids[i] + ": " +
                                 side.sys->render(remote.error()));
      agents[ids[i]] = *remote;
    }
    side.start(agents, *keys);
    auto s = run_rounds(*side.sys, side.launcher, ids, opts, rounds, log, "mm");
    add_rows(r, "middleman", s);
  }
  r.parameters["peak_rss_mib"] = format_number(peak_rss_mib(), 4);
  r.machine = describe_machine();
  r.notes.push_back("CPU-seconds are the whole process's (launcher, repository, keygen "
                    "workers and the instant agents, and with --middleman both systems' "
                    "middlemen): the per-core figure is a lower bound for the manager alone");
  r.notes.push_back("launch latency: from the start of a start_sessions call to the arrival of "
                    "the session's create_kernels at its agent; with every session in one call "
                    "it grows with the batch (use --batch)");
  return r;
}

} // namespace baikal::bench
