#include "tools/baikal-sim/sim_options.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"

namespace baikal::sim {

const char* usage_text =
    "usage: baikal-sim --agents N --sessions M [options]\n"
    "  --multi-kernel-share X   share of sessions with --cluster-size kernels (0)\n"
    "  --cluster-size K         kernels of a multi-kernel session, one node (3)\n"
    "  --arrival all|RATE       all sessions at once, or RATE sessions per second (all)\n"
    "  --latency-pull L         L: MS, uniform:A-B or exp:MEAN (0: images present)\n"
    "  --latency-create L\n"
    "  --latency-destroy L\n"
    "  --fail-create-share X    share of agents whose create_kernels fails (0)\n"
    "  --silent-share X         share of agents that stop heartbeating (0)\n"
    "  --hang-share X           share of agents whose create_kernels never answers (0)\n"
    "  --store WHERE            the manager's store: :memory:, a SQLite FILE or a\n"
    "                           postgresql:// URL (:memory:)\n"
    "  --session-timeout S      session start timeout in seconds (30)\n"
    "  --park-idle-after S      idle RUNNING sessions park after S seconds (10)\n"
    "  --max-wait S             give up waiting for final statuses after S seconds (900)\n"
    "  --idle-wait S            after settling, wait S seconds and measure the memory the idle\n"
    "                           sessions hold (0: skip)\n"
    "  --heap-profile FILE      at the end of the idle wait, write jemalloc's heap profile to\n"
    "                           FILE (run with MALLOC_CONF=prof:true; read it with jeprof)\n"
    "  --threads T              CAF scheduler threads (2)\n"
    "  --agent-processes K      run the agents in K child processes that join the manager\n"
    "                           over the middleman on a loopback port (0: in this process)\n"
    "  --json                   print the figures as JSON\n";

namespace {

caf::error bad(const std::string& text) {
  return make_error(errc::invalid_argument, text);
}

/// A whole number of at most `max`, read into `out`.
template <class Int>
caf::error set_count(Int& out, const std::string& v, const std::string& flag,
                     uint64_t max = 1000000000) {
  auto n = checks::parse_unsigned(v, max);
  if (!n)
    return bad(flag + " needs a whole number from 0 to " + std::to_string(max) + ", not '" + v +
               "'");
  out = static_cast<Int>(*n);
  return caf::none;
}

/// A number (of seconds, of sessions per second) from 0 up.
caf::error set_number(double& out, const std::string& v, const std::string& flag) {
  auto x = checks::parse_number(v);
  if (!x)
    return bad(flag + " needs a number from 0 up, not '" + v + "'");
  out = *x;
  return caf::none;
}

caf::error set_share(double& out, const std::string& v, const std::string& flag) {
  if (auto err = set_number(out, v, flag))
    return err;
  if (out < 0 || out > 1)
    return bad(flag + " must be between 0 and 1");
  return caf::none;
}

caf::error set_latency(latency& out, const std::string& v) {
  auto x = parse_latency(v);
  if (!x)
    return x.error();
  out = *x;
  return caf::none;
}

/// "B-E": the agents [B, E) a child hosts.
caf::error set_range(sim_options& o, const std::string& v) {
  auto dash = v.find('-');
  if (dash == std::string::npos)
    return bad("--agent-range must be B-E");
  if (auto err = set_count(o.host_begin, v.substr(0, dash), "--agent-range"))
    return err;
  if (auto err = set_count(o.host_end, v.substr(dash + 1), "--agent-range"))
    return err;
  return o.host_begin < o.host_end ? caf::error{} : bad("--agent-range must be B-E with B < E");
}

} // namespace

caf::expected<sim_options> parse_options(int argc, char** argv) {
  sim_options o;
  using setter = std::function<caf::error(const std::string&)>;
  std::map<std::string, setter> flags{
      {"--agents", [&](const std::string& v) { return set_count(o.agents, v, "--agents"); }},
      {"--sessions", [&](const std::string& v) { return set_count(o.sessions, v, "--sessions"); }},
      {"--multi-kernel-share",
       [&](const std::string& v) {
         return set_share(o.multi_kernel_share, v, "--multi-kernel-share");
       }},
      {"--cluster-size",
       [&](const std::string& v) {
         if (auto err = set_count(o.cluster_size, v, "--cluster-size", 4096))
           return err;
         return o.cluster_size >= 1 ? caf::error{} : bad("--cluster-size must be at least 1");
       }},
      {"--arrival",
       [&](const std::string& v) {
         if (v == "all")
           return o.arrival_rate = 0, caf::error{};
         return set_number(o.arrival_rate, v, "--arrival");
       }},
      {"--latency-pull", [&](const std::string& v) { return set_latency(o.pull, v); }},
      {"--latency-create", [&](const std::string& v) { return set_latency(o.create, v); }},
      {"--latency-destroy", [&](const std::string& v) { return set_latency(o.destroy, v); }},
      {"--fail-create-share",
       [&](const std::string& v) {
         return set_share(o.fail_create_share, v, "--fail-create-share");
       }},
      {"--silent-share",
       [&](const std::string& v) { return set_share(o.silent_share, v, "--silent-share"); }},
      {"--hang-share",
       [&](const std::string& v) { return set_share(o.hang_share, v, "--hang-share"); }},
      {"--store", [&](const std::string& v) { return o.store = v, caf::error{}; }},
      {"--session-timeout",
       [&](const std::string& v) {
         return set_number(o.session_timeout_s, v, "--session-timeout");
       }},
      {"--park-idle-after",
       [&](const std::string& v) {
         return set_number(o.park_idle_after_s, v, "--park-idle-after");
       }},
      {"--max-wait",
       [&](const std::string& v) { return set_number(o.max_wait_s, v, "--max-wait"); }},
      {"--idle-wait",
       [&](const std::string& v) { return set_number(o.idle_wait_s, v, "--idle-wait"); }},
      {"--heap-profile", [&](const std::string& v) { return o.heap_profile = v, caf::error{}; }},
      {"--threads",
       [&](const std::string& v) { return set_count(o.threads, v, "--threads", 1024); }},
      {"--agent-processes",
       [&](const std::string& v) { return set_count(o.agent_processes, v, "--agent-processes"); }},
      {"--agent-host", [&](const std::string& v) { return o.agent_host = v, caf::error{}; }},
      {"--agent-range", [&](const std::string& v) { return set_range(o, v); }},
  };
  o.args.assign(argv + std::min(argc, 1), argv + argc);
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--json") {
      o.json = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") {
      o.help = true;
      continue;
    }
    auto f = flags.find(flag);
    if (f == flags.end())
      return bad("unknown option " + flag);
    if (i + 1 >= argc)
      return bad(flag + " needs a value");
    if (auto err = f->second(argv[++i]))
      return err;
  }
  if (o.agents == 0 || o.sessions == 0)
    return bad("--agents and --sessions must be at least 1");
  if (o.fail_create_share + o.silent_share + o.hang_share > 1)
    return bad("the failure shares add up to more than 1");
  if (o.agent_processes > o.agents)
    return bad("--agent-processes cannot exceed --agents (each process hosts at least one)");
  if (!o.agent_host.empty() && o.host_end > o.agents)
    return bad("--agent-range goes past --agents");
  if (!o.agent_host.empty() && o.host_end == 0)
    return bad("--agent-host needs --agent-range");
  return o;
}

} // namespace baikal::sim
