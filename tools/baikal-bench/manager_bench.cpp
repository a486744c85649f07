// manager: sessions per second through the whole manager (front, scheduler, session actors,
// launcher, event hub, store) from create_session to RUNNING, with agents that answer at once
// and report their events (the agent double, as the manager tests use it), once with the store in
// memory and once on a WAL file. The cluster keypair is made once before the runs, unless
// --keypairs asks for the generation a manager in service does for each session. Every create
// is sent without waiting for the previous one, as many clients would; the run ends when the
// manager's metrics count every session RUNNING.

#include <unistd.h>

#include <filesystem>
#include <regex>
#include <thread>

#include <libpq-fe.h>

#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/agent_double/agent_double.hpp"
#include "actors/manager/manager.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/ssh/keypair.hpp"
#include "runtime/store/postgres_connection.hpp"
#include "tools/baikal-bench/benchmarks.hpp"
#include "tools/baikal-bench/stats.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

namespace {

constexpr size_t default_rounds = 1;

template <class Result, class Handle, class Request>
Result ask(caf::actor_system& sys, const Handle& h, Request req) {
  caf::expected<Result> out{caf::error{}};
  caf::scoped_actor self{sys};
  self->request(h, std::chrono::seconds{60}, std::move(req))
      .receive([&](Result& r) { out = std::move(r); },
               [&](caf::error& err) { out = std::move(err); });
  if (!out)
    throw std::runtime_error(message_of(out.error()));
  return std::move(*out);
}

size_t running_count(caf::actor_system& sys, const manager_actor& front) {
  static const std::regex running{"baikal_sessions\\{status=\"RUNNING\"\\} (\\d+)"};
  auto text = ask<std::string>(sys, front, api::get_metrics{});
  std::smatch match;
  if (!std::regex_search(text, match, running))
    return 0;
  auto n = checks::parse_unsigned(match[1].str());
  return n ? static_cast<size_t>(*n) : 0;
}

session_request bench_request() {
  session_request r;
  r.owner = "bench";
  r.access_key = "AK-bench";
  r.name = "bench";
  r.image = "cr.backend.ai/stable/python:3.9";
  r.resources = {{"cpu", 1}, {"mem", 1e9}};
  return r;
}

/// Drops the store's tables from the PostgreSQL database at `url`, so that a round starts empty
/// (the manager makes them again).
void empty_database(const std::string& url) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> c{PQconnectdb(url.c_str()), &PQfinish};
  if (PQstatus(c.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot open " + redacted_url(url) + ": " + PQerrorMessage(c.get()));
  std::unique_ptr<PGresult, decltype(&PQclear)> r{
      PQexec(c.get(), "DROP TABLE IF EXISTS agents, sessions, kernels, session_status_history, "
                      "session_service_ports, batch_sessions, agent_drains CASCADE"),
      &PQclear};
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error("cannot empty " + redacted_url(url) + ": " + PQerrorMessage(c.get()));
}

struct manager_run {
  double seconds = 0;
  double cpu_seconds = 0;
};

/// One manager on `store_path` with `opts.agents` agent doubles; `opts.sessions` sessions to
/// RUNNING.
manager_run run_once(const bench_options& opts, const std::string& store_path,
                     const ssh_keypair& keys) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", static_cast<int>(opts.threads));
  configure_manager_scheduler(cfg);
  caf::actor_system sys{cfg};
  manager_settings settings;
  settings.store_path = store_path;
  settings.scheduling_policy = "dispersed";
  settings.heartbeat_interval = std::chrono::seconds{60};
  settings.phase_probe_after = std::chrono::seconds{120}; // no probe while agents answer at once
  settings.session_start_timeout = std::chrono::seconds{1200};
  if (opts.keypairs == "once")
    settings.keypairs = [keys] { return keys; };
  else
    settings.cluster_key_type = *ssh::parse_cluster_key_type(opts.keypairs);
  auto m = spawn_manager(sys, settings);
  if (!m)
    throw std::runtime_error("cannot start the manager: " + message_of(m.error()));
  std::vector<agent_actor> agents;
  for (size_t i = 0; i < opts.agents; ++i) {
    auto id = "bench-a" + std::to_string(i);
    auto log = std::make_shared<agent_double::ledger>();
    agent_double::options answers;
    answers.id = id;
    answers.images_present = true; // a launch of an image the agent has, the common case
    auto handle = agent_double::spawn(sys, std::move(answers), log);
    agents.push_back(handle);
    auto reg = ask<agent_registration>(sys, m->registry,
                                       op::register_agent{id,
                                                          "tcp://127.0.0.1:6001",
                                                          "default",
                                                          {{"cpu", 1e6}, {"mem", 1e15}},
                                                          {},
                                                          handle,
                                                          {},
                                                          {}});
    log->with([&](agent_double::ledger& l) { return l.sink = reg.events; });
  }
  manager_run run;
  auto t0 = bench_clock::now();
  auto cpu0 = process_cpu_seconds();
  for (size_t i = 0; i < opts.sessions; ++i)
    caf::anon_send(m->front, api::create_session{bench_request()});
  auto deadline = t0 + std::chrono::seconds{1200};
  while (running_count(sys, m->front) < opts.sessions) {
    if (bench_clock::now() > deadline)
      throw std::runtime_error("not every session reached RUNNING within 1200 s");
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  run.seconds = seconds_since(t0);
  run.cpu_seconds = process_cpu_seconds() - cpu0;
  caf::scoped_actor self{sys};
  caf::anon_send_exit(m->front, caf::exit_reason::user_shutdown);
  self->wait_for(m->front, m->registry);
  for (auto& a : agents)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return run;
}

void add_rows(report& r, const std::string& where, const std::vector<manager_run>& runs,
              size_t sessions) {
  std::vector<double> per_cpu, per_wall;
  for (auto& run : runs) {
    per_cpu.push_back(static_cast<double>(sessions) / run.cpu_seconds);
    per_wall.push_back(static_cast<double>(sessions) / run.seconds);
  }
  figure_row per_core{where + ": sessions per CPU-second", "sessions/s", "manager",
                      summarize(per_cpu).median,           "",           0,
                      ">= 20000 per manager core",         std::nullopt};
  per_core.met = per_core.ours >= 20000;
  r.rows.push_back(per_core);
  r.rows.push_back({where + ": sessions per second (wall)", "sessions/s", "manager",
                    summarize(per_wall).median, "", 0, "", std::nullopt});
}

} // namespace

report run_manager(const bench_options& opts, const bench_env&) {
  report r;
  r.benchmark = "manager";
  auto rounds = opts.rounds ? opts.rounds : default_rounds;
  r.parameters = {{"sessions", std::to_string(opts.sessions)},
                  {"agents", std::to_string(opts.agents)},
                  {"rounds", std::to_string(rounds)},
                  {"threads", std::to_string(opts.threads)},
                  {"keypairs", opts.keypairs}};
  auto keys = ssh::generate_cluster_keypair();
  if (!keys)
    throw std::runtime_error("cannot make the cluster keypair: " + message_of(keys.error()));
  std::vector<manager_run> memory, file;
  for (size_t i = 0; i < rounds; ++i)
    memory.push_back(run_once(opts, ":memory:", *keys));
  auto dir = std::filesystem::path(opts.scratch_dir.empty() ? "/tmp" : opts.scratch_dir) /
             ("baikal-manager-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < rounds; ++i) {
    auto path = dir / ("manager-" + std::to_string(i) + ".db");
    file.push_back(run_once(opts, path.string(), *keys));
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  std::vector<manager_run> postgres;
  for (size_t i = 0; !opts.postgres_url.empty() && i < rounds; ++i) {
    empty_database(opts.postgres_url);
    postgres.push_back(run_once(opts, opts.postgres_url, *keys));
  }
  add_rows(r, "SQLite :memory:", memory, opts.sessions);
  add_rows(r, "SQLite WAL file", file, opts.sessions);
  if (!postgres.empty())
    add_rows(r, "PostgreSQL", postgres, opts.sessions);
  r.parameters["peak_rss_mib"] = format_number(peak_rss_mib(), 4);
  r.machine = describe_machine();
  r.notes.push_back("from the first create_session to the last session RUNNING (the manager's "
                    "metrics polled every 20 ms); creates are sent without waiting");
  r.notes.push_back("CPU-seconds are the whole process's (the manager and the agent doubles): the "
                    "per-core figure is a lower bound for the manager alone");
  return r;
}

} // namespace baikal::bench
