// create: one create_kernels call of K kernels against the Engine API create+start of the same
// container specs (make_container_spec from actors/agent/kernel_spec.hpp, so the containers
// are the same: image, runner entrypoint, binds, limits, labels, published service ports), each
// measured until all K have started. The raw side runs as many calls at once as the agent's
// kernel-creation-concurrency, over the same engine client. Everything is removed between
// rounds; the figure is the median of the rounds.

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "actors/agent/kernel_network.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/port_pool.hpp"
#include "actors/agent/service_ports.hpp"
#include "runtime/runner/runner_client.hpp"
#include "tools/baikal-bench/agent_rig.hpp"
#include "tools/baikal-bench/benchmarks.hpp"
#include "tools/baikal-bench/kernel_configs.hpp"
#include "tools/baikal-bench/raw_engine.hpp"
#include "tools/baikal-bench/stats.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

namespace {

constexpr size_t default_rounds = 3;

/// Runs `work(i)` for i in [0, n) on `threads` threads; answers the first failure, if any.
template <class Work> std::string run_parallel(size_t n, size_t threads, Work work) {
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::string failure;
  std::vector<std::thread> pool;
  for (size_t t = 0; t < std::min(threads, n); ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) {
        auto problem = work(i);
        if (!problem.empty()) {
          std::lock_guard<std::mutex> guard{mutex};
          if (failure.empty())
            failure = problem;
        }
      }
    });
  for (auto& th : pool)
    th.join();
  return failure;
}

/// Blocking: polls the runner's health until it answers (what the agent waits for too).
std::string wait_runner(const std::string& socket) {
  auto deadline = bench_clock::now() + std::chrono::seconds(60);
  while (bench_clock::now() < deadline) {
    runner::runner_client client{socket, std::chrono::milliseconds(500)};
    if (client.health())
      return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "the runner at " + socket + " did not answer within 60 s";
}

/// Per-kernel step durations (seconds), from the agent's events and the raw side's calls.
struct step_samples {
  std::vector<double> slot;    ///< agent: preparing -> started (the kernel holds a slot)
  std::vector<double> inspect; ///< agent: preparing -> creating (the image step in the slot)
  std::vector<double> rest;    ///< agent: creating -> started (scratch, create, start, runner)
  std::vector<double> raw;     ///< raw: one create + start
};

double since(bench_clock::time_point from, bench_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

/// One round of the agent's side: create_kernels of k kernels, then destroy them (untimed).
double agent_round(agent_rig& rig, const std::string& image, const std::string& prefix, size_t k,
                   step_samples& steps) {
  auto req = bench_create_request(image, prefix, k);
  auto start = bench_clock::now();
  auto created = rig.ask<created_kernels>(req);
  auto took = seconds_since(start);
  if (!created)
    throw std::runtime_error("create_kernels of " + std::to_string(k) +
                             " failed: " + message_of(created.error()));
  for (auto& kernel : created->kernels)
    rig.ask<ack>(
        op::destroy_kernel{kernel.id, kernel.session, lifecycle_reason::user_requested, true});
  // The events arrived long before the destroys were answered.
  for (auto& [id, m] : rig.timeline().take()) {
    steps.slot.push_back(since(m.preparing, m.started));
    steps.inspect.push_back(since(m.preparing, m.creating));
    steps.rest.push_back(since(m.creating, m.started));
  }
  return took;
}

struct raw_times {
  double started = 0;      ///< all start calls answered
  double runner_ready = 0; ///< and every runner answered health
};

/// One round of the raw side with the same specs; scratch directories are made beforehand.
raw_times raw_round(raw_engine& raw, const agent_settings& settings, const std::string& image,
                    const std::string& prefix, size_t k, size_t concurrency, step_samples& steps) {
  auto req = bench_create_request(image, prefix, k);
  std::vector<docker::container_spec> specs;
  std::vector<std::string> sockets;
  auto base = bench_port_base(); // a fresh pool each round: the containers go with it
  port_pool ports{static_cast<uint16_t>(base + 100), static_cast<uint16_t>(base + 199)};
  for (auto& cfg : req.configs) {
    auto dirs = scratch_dirs_of(settings.scratch_root, cfg.kernel);
    std::filesystem::create_directories(dirs.work);
    std::filesystem::create_directories(dirs.config);
    // The same service ports as the agent publishes, from the raw side's own host ports.
    auto services = service_ports_of_table(service_table_json(cfg.image));
    if (auto err = map_service_ports(services, ports, false))
      throw std::runtime_error("no host port left for the raw side: " + message_of(err));
    specs.push_back(make_container_spec(cfg, req.cluster, settings, services));
    sockets.push_back(dirs.runner_socket());
  }
  std::vector<std::string> ids(k);
  std::vector<double> took(k);
  raw_times t;
  auto start = bench_clock::now();
  auto failure = run_parallel(k, concurrency, [&](size_t i) -> std::string {
    auto began = bench_clock::now();
    auto id = raw.create_and_start(specs[i]);
    took[i] = seconds_since(began);
    if (!id)
      return message_of(id.error());
    ids[i] = *id;
    return "";
  });
  t.started = seconds_since(start);
  steps.raw.insert(steps.raw.end(), took.begin(), took.end());
  if (failure.empty())
    failure = run_parallel(k, concurrency, [&](size_t i) { return wait_runner(sockets[i]); });
  t.runner_ready = seconds_since(start);
  run_parallel(k, concurrency, [&](size_t i) {
    if (!ids[i].empty())
      raw.remove_container(ids[i]);
    remove_tree(scratch_dirs_of(settings.scratch_root, req.configs[i].kernel).root);
    return std::string{};
  });
  if (!failure.empty())
    throw std::runtime_error("raw create+start failed: " + failure);
  return t;
}

} // namespace

report run_create(const bench_options& opts, const bench_env& env) {
  report r;
  r.benchmark = "create";
  auto rounds = opts.rounds ? opts.rounds : default_rounds;
  r.parameters = {{"rounds", std::to_string(rounds)},
                  {"concurrency", std::to_string(opts.concurrency)},
                  {"image", env.image}};
  agent_rig rig{env, {opts.threads, static_cast<uint32_t>(opts.concurrency)}};
  raw_engine raw{env.docker_socket};
  // Both sides' containers join the agent's kernel network; the raw side cannot wait for the
  // agent to make it. An answer of conflict means it is there already.
  (void)raw.call(docker::network_create(kernel_network_spec()));
  for (auto k : opts.kernels) {
    std::vector<double> agent, started, ready;
    step_samples steps;
    for (size_t round = 0; round < rounds; ++round) {
      auto tag = "bench-c" + std::to_string(k) + "-r" + std::to_string(round);
      // Alternate which side goes first, so a warming engine favours neither.
      auto do_raw = [&] {
        auto t =
            raw_round(raw, rig.settings(), env.image, tag + "-raw", k, opts.concurrency, steps);
        started.push_back(t.started);
        ready.push_back(t.runner_ready);
      };
      if (round % 2)
        do_raw();
      agent.push_back(agent_round(rig, env.image, tag + "-agent", k, steps));
      if (round % 2 == 0)
        do_raw();
    }
    auto a = summarize(agent);
    auto s = summarize(started);
    auto w = summarize(ready);
    auto what = std::to_string(k) + " kernels, median of " + std::to_string(rounds);
    figure_row main{what,
                    "s",
                    "agent create_kernels",
                    a.median,
                    "API create+start",
                    s.median,
                    "ours/base <= 1.10",
                    std::nullopt};
    main.met = ratio(a.median, s.median) <= 1.10;
    r.rows.push_back(main);
    r.rows.push_back({what, "s", "agent create_kernels", a.median,
                      "API create+start, runner answers", w.median, "", std::nullopt});
    r.rows.push_back({std::to_string(k) + " kernels, per kernel", "ms", "agent create_kernels",
                      a.median / static_cast<double>(k) * 1e3, "API create+start",
                      s.median / static_cast<double>(k) * 1e3, "", std::nullopt});
    auto ms = [](const std::vector<double>& v) { return summarize(v).median * 1e3; };
    auto step = std::to_string(k) + " kernels, one kernel's steps, median";
    r.rows.push_back({step, "ms", "slot: preparing to started", ms(steps.slot), "one create+start",
                      ms(steps.raw), "", std::nullopt});
    r.rows.push_back({step, "ms", "creating to started", ms(steps.rest), "one create+start",
                      ms(steps.raw), "", std::nullopt});
    r.rows.push_back({step, "ms", "image step in the slot: preparing to creating",
                      ms(steps.inspect), "", 0, "", std::nullopt});
  }
  r.machine = describe_machine();
  r.notes.push_back("both sides create the same containers (make_container_spec) with at most "
                    "--concurrency calls at once, over the same engine client; the agent also "
                    "inspects each distinct image once per call (before its kernels take "
                    "creation slots), writes the scratch directories, inspects the kernel "
                    "network and checks its host fence (one iptables call) per kernel, and "
                    "waits for each runner to answer health before it answers");
  r.notes.push_back("the second baseline row adds the runner health wait to the raw side, "
                    "which is what create_kernels' answer promises");
  return r;
}

} // namespace baikal::bench
