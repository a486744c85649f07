// pull: check_and_pull of an image in the local registry, timed until ImagePullFinished
// arrives at the agent's event sink, against the engine's own pull (POST /images/create,
// progress stream read to its end) of the same image. The image is removed from the engine
// before every round of either side, so both download and extract every time.
//
// Setup: an image with one layer of --pull-mib MiB of random bytes (random, so the registry's
// gzip cannot shrink it) is imported into the engine, pushed to the registry, and removed.

#include "runtime/archive/tar_writer.hpp"
#include "runtime/docker/images.hpp"
#include "tools/baikal-bench/agent_rig.hpp"
#include "tools/baikal-bench/benchmarks.hpp"
#include "tools/baikal-bench/file_copy.hpp"
#include "tools/baikal-bench/raw_engine.hpp"
#include "tools/baikal-bench/stats.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

namespace {

constexpr size_t default_rounds = 5;

/// A root file system of one file, /payload, of `mib` MiB.
std::string payload_rootfs(size_t mib) {
  tar_writer tar;
  tar_entry entry;
  entry.name = "payload";
  auto err = tar.add_file(entry, random_bytes(mib * 1024 * 1024));
  if (err)
    throw std::runtime_error("cannot build the payload archive");
  return tar.finish();
}

/// Imports, pushes and removes the payload image; answers its reference in the registry.
std::string push_payload_image(raw_engine& raw, const std::string& registry, size_t mib) {
  auto ref = registry + "/baikal-bench/pull:" + std::to_string(mib) + "m";
  auto imported = raw.progress_call(docker::image_import(payload_rootfs(mib), ref, {}));
  if (!imported)
    throw std::runtime_error("cannot import " + ref + ": " + message_of(imported.error()));
  docker::registry_credentials creds;
  creds.server = registry;
  auto pushed = raw.progress_call(docker::image_push(ref, creds));
  if (!pushed)
    throw std::runtime_error("cannot push " + ref + ": " + message_of(pushed.error()));
  raw.remove_image(ref);
  return ref;
}

image_config payload_config(const std::string& ref, const std::string& registry) {
  image_config cfg;
  cfg.canonical = ref;
  cfg.architecture = "x86_64";
  cfg.auto_pull = auto_pull_policy::digest;
  cfg.registry.name = registry;
  cfg.registry.url = "http://" + registry;
  return cfg;
}

double agent_round(agent_rig& rig, const std::string& ref, const image_config& cfg, size_t round) {
  auto start = bench_clock::now();
  auto jobs = rig.ask<pull_jobs>(op::check_and_pull{{{ref, cfg}}});
  if (!jobs)
    throw std::runtime_error("check_and_pull failed: " + message_of(jobs.error()));
  auto phase = rig.pulls().wait_done(ref, round + 1, std::chrono::seconds(600));
  auto took = seconds_since(start);
  if (!phase)
    throw std::runtime_error("no ImagePullFinished for " + ref + " within 600 s");
  if (*phase != image_pull_event::phase::finished)
    throw std::runtime_error("the pull of " + ref + " failed (ImagePullFailedEvent)");
  return took;
}

double raw_round(raw_engine& raw, const std::string& ref) {
  auto start = bench_clock::now();
  auto pulled = raw.progress_call(docker::image_pull(ref, std::nullopt));
  auto took = seconds_since(start);
  if (!pulled)
    throw std::runtime_error("the engine's pull of " + ref +
                             " failed: " + message_of(pulled.error()));
  return took;
}

} // namespace

report run_pull(const bench_options& opts, const bench_env& env) {
  if (env.registry.empty())
    throw std::runtime_error("pull needs a registry: --registry HOST:PORT or BAIKAL_TEST_REGISTRY "
                             "(tests/harness/test-env.sh up DIR starts one)");
  report r;
  r.benchmark = "pull";
  auto rounds = opts.rounds ? opts.rounds : default_rounds;
  r.parameters = {{"rounds", std::to_string(rounds)},
                  {"payload_mib", std::to_string(opts.pull_mib)},
                  {"registry", env.registry}};
  raw_engine raw{env.docker_socket};
  auto ref = push_payload_image(raw, env.registry, opts.pull_mib);
  auto cfg = payload_config(ref, env.registry);
  agent_rig rig{env, {opts.threads, 4}};
  std::vector<double> agent, engine;
  for (size_t round = 0; round < rounds; ++round) {
    auto do_raw = [&] {
      raw.remove_image(ref);
      engine.push_back(raw_round(raw, ref));
    };
    if (round % 2)
      do_raw();
    raw.remove_image(ref);
    agent.push_back(agent_round(rig, ref, cfg, round));
    if (round % 2 == 0)
      do_raw();
  }
  raw.remove_image(ref);
  auto a = summarize(agent);
  auto e = summarize(engine);
  auto what = std::to_string(opts.pull_mib) + " MiB image, median of " + std::to_string(rounds);
  r.rows.push_back({what, "s", "check_and_pull to ImagePullFinished", a.median,
                    "POST /images/create", e.median, "", std::nullopt});
  r.rows.push_back({std::to_string(opts.pull_mib) + " MiB image, min", "s",
                    "check_and_pull to ImagePullFinished", a.min, "POST /images/create", e.min, "",
                    std::nullopt});
  r.machine = describe_machine();
  r.notes.push_back("the issue sets no target for pull; the ratio is the agent's overhead "
                    "(image inspect, the pull job actor, the event) over the engine's pull");
  return r;
}

} // namespace baikal::bench
