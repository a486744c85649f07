// execute: `echo hi` through the kernel runner against docker exec of the same command in the
// same container. Ours: op::execute on the agent (agent -> kernel actor -> the blocking
// executor's runs lane -> the kernel's kept runner connection) and the runner client alone on a
// kept connection; the difference of their medians is what the agent's path adds. Baseline: what
// `docker exec` does over the Engine API (exec create, attached start, inspect) through Baikal's
// engine client, and the docker CLI itself.

#include <caf/scoped_actor.hpp>

#include "actors/agent/kernel_spec.hpp"
#include "runtime/runner/runner_client.hpp"
#include "tools/baikal-bench/agent_rig.hpp"
#include "tools/baikal-bench/benchmarks.hpp"
#include "tools/baikal-bench/kernel_configs.hpp"
#include "tools/baikal-bench/raw_engine.hpp"
#include "tools/baikal-bench/stats.hpp"
#include "tools/baikal-bench/subprocess.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

namespace {

constexpr const char* code = "echo hi";
constexpr const char* expected_output = "hi\n";
constexpr size_t warmup_calls = 5;

std::string stdout_of(const execution_result& res) {
  std::string out;
  for (auto& item : res.console)
    if (item.stream == "stdout")
      out += item.data;
  return out;
}

std::string check_output(const std::string& side, const std::string& out) {
  return out == expected_output ? "" : side + " printed \"" + out + "\", not \"hi\\n\"";
}

/// The four sides, each timed call by call.
struct execute_samples {
  std::vector<double> agent, runner, engine_api, cli;
};

execute_samples measure(agent_rig& rig, raw_engine& raw, const bench_env& env,
                        const kernel_info& kernel, size_t n) {
  execute_samples s;
  auto via_agent = [&] {
    auto res = rig.ask<execution_result>(
        op::execute{kernel.session, kernel.id, 4, "", execution_mode::query, code, {}, 5.0});
    return res ? check_output("op::execute", stdout_of(*res)) : message_of(res.error());
  };
  runner::runner_client client{
      scratch_dirs_of(rig.settings().scratch_root, kernel.id).runner_socket()};
  runner::execute_request req;
  req.code = code;
  req.flush_timeout = 5.0;
  auto via_runner = [&] {
    auto res = client.execute(req);
    return res ? check_output("the runner client", stdout_of(*res)) : message_of(res.error());
  };
  std::vector<std::string> shell{"/bin/sh", "-c", code};
  auto via_api = [&] {
    auto out = raw.exec(kernel.container_id, shell);
    return out ? check_output("exec over the Engine API", *out) : message_of(out.error());
  };
  std::vector<std::string> cli{"docker", "-H", "unix://" + env.docker_socket, "exec",
                               kernel.container_id};
  cli.insert(cli.end(), shell.begin(), shell.end());
  auto via_cli = [&] {
    auto res = run_process(cli);
    if (!res)
      return message_of(res.error());
    if (res->exit_code != 0)
      return "docker exec exited with " + std::to_string(res->exit_code);
    return check_output("docker exec", res->out);
  };
  time_each(warmup_calls, via_agent);
  time_each(warmup_calls, via_runner);
  time_each(warmup_calls, via_api);
  time_each(warmup_calls, via_cli);
  s.agent = time_each(n, via_agent);
  s.runner = time_each(n, via_runner);
  s.engine_api = time_each(n, via_api);
  s.cli = time_each(n, via_cli);
  return s;
}

void add_rows(report& r, const std::string& ours_label, const summary& ours,
              const std::string& base_label, const summary& base) {
  figure_row median{"echo hi, median",
                    "ms",
                    ours_label,
                    ours.median * 1e3,
                    base_label,
                    base.median * 1e3,
                    "ours/base <= 0.05 (20x faster)",
                    std::nullopt};
  median.met = ratio(ours.median, base.median) <= 0.05;
  r.rows.push_back(median);
  r.rows.push_back({"echo hi, p99", "ms", ours_label, ours.p99 * 1e3, base_label, base.p99 * 1e3,
                    "", std::nullopt});
}

} // namespace

report run_execute(const bench_options& opts, const bench_env& env) {
  report r;
  r.benchmark = "execute";
  r.parameters = {{"n", std::to_string(opts.calls)}, {"image", env.image}};
  agent_rig rig{env, {opts.threads, 4}};
  raw_engine raw{env.docker_socket};
  auto created = rig.ask<created_kernels>(bench_create_request(env.image, "bench-exec", 1));
  if (!created)
    throw std::runtime_error("cannot create the kernel: " + message_of(created.error()));
  if (created->kernels.empty())
    throw std::runtime_error("create_kernels answered no kernel");
  auto kernel = created->kernels.front();
  execute_samples s;
  try {
    s = measure(rig, raw, env, kernel, opts.calls);
  } catch (...) {
    rig.ask<ack>(op::destroy_kernel{kernel.id, kernel.session, "user-requested", true});
    throw;
  }
  rig.ask<ack>(op::destroy_kernel{kernel.id, kernel.session, "user-requested", true});
  auto agent = summarize(s.agent);
  auto runner = summarize(s.runner);
  auto api = summarize(s.engine_api);
  auto cli = summarize(s.cli);
  r.machine = describe_machine();
  add_rows(r, "agent op::execute", agent, "docker exec (CLI)", cli);
  add_rows(r, "agent op::execute", agent, "exec create/start/inspect (API)", api);
  add_rows(r, "runner client", runner, "docker exec (CLI)", cli);
  add_rows(r, "runner client", runner, "exec create/start/inspect (API)", api);
  figure_row added{"agent path over the runner's round trip, median",
                   "ms",
                   "agent op::execute",
                   agent.median * 1e3,
                   "runner client",
                   runner.median * 1e3,
                   "ours - base <= 0.05 ms",
                   std::nullopt};
  added.met = (agent.median - runner.median) * 1e3 <= 0.05;
  r.rows.push_back(added);
  r.notes.push_back("same container, same command: /bin/sh -c 'echo hi' (the runner's query "
                    "runtime for this image); every answer checked to be \"hi\\n\"");
  r.notes.push_back("op::execute takes a kept connection from the kernel's runner pool on the "
                    "agent's runs lane; the runner client row calls on one connection directly");
  return r;
}

} // namespace baikal::bench
