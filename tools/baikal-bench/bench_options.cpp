#include "tools/baikal-bench/bench_options.hpp"

#include <map>
#include <set>

#include "runtime/checks/numbers.hpp"

namespace baikal::bench {

namespace {

std::optional<size_t> parse_size(const std::string& text) {
  auto n = checks::parse_unsigned(text, 999999999999999);
  if (!n || *n == 0)
    return std::nullopt;
  return static_cast<size_t>(*n);
}

} // namespace

std::optional<std::vector<size_t>> parse_size_list(const std::string& text) {
  std::vector<size_t> out;
  size_t begin = 0;
  while (begin <= text.size()) {
    auto end = text.find(',', begin);
    if (end == std::string::npos)
      end = text.size();
    auto n = parse_size(text.substr(begin, end - begin));
    if (!n)
      return std::nullopt;
    out.push_back(*n);
    begin = end + 1;
  }
  return out;
}

std::optional<bench_options> parse_bench_options(int argc, char** argv, std::string& error) {
  static const std::set<std::string> commands{"execute", "create",   "pull",
                                              "files",   "launcher", "manager"};
  bench_options opts;
  std::map<std::string, std::string*> strings{
      {"--docker-sock", &opts.docker_socket}, {"--image", &opts.image},
      {"--registry", &opts.registry},         {"--runner", &opts.runner_path},
      {"--scratch", &opts.scratch_dir},       {"--postgres", &opts.postgres_url},
      {"--keypairs", &opts.keypairs}};
  std::map<std::string, size_t*> sizes{{"-n", &opts.calls},
                                       {"--rounds", &opts.rounds},
                                       {"--concurrency", &opts.concurrency},
                                       {"--pull-mib", &opts.pull_mib},
                                       {"--download-files", &opts.download_files},
                                       {"--download-bytes", &opts.download_bytes},
                                       {"--stream-mib", &opts.stream_mib},
                                       {"--sessions", &opts.sessions},
                                       {"--agents", &opts.agents},
                                       {"--batch", &opts.batch},
                                       {"--threads", &opts.threads}};
  std::map<std::string, std::vector<size_t>*> lists{{"--kernels", &opts.kernels},
                                                    {"--upload-mib", &opts.upload_mib}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
      continue;
    }
    if (arg == "--json" || arg == "--middleman") {
      (arg == "--json" ? opts.json : opts.middleman) = true;
      continue;
    }
    if (commands.count(arg) && opts.command.empty()) {
      opts.command = arg;
      continue;
    }
    bool known = strings.count(arg) || sizes.count(arg) || lists.count(arg);
    if (!known) {
      error = "unknown argument " + arg;
      return std::nullopt;
    }
    if (i + 1 >= argc) {
      error = arg + " needs a value";
      return std::nullopt;
    }
    std::string value = argv[++i];
    if (auto s = strings.find(arg); s != strings.end()) {
      *s->second = value;
    } else if (auto n = sizes.find(arg); n != sizes.end()) {
      auto parsed = parse_size(value);
      if (!parsed) {
        error = arg + " needs a positive whole number, not \"" + value + "\"";
        return std::nullopt;
      }
      *n->second = *parsed;
    } else {
      auto parsed = parse_size_list(value);
      if (!parsed) {
        error = arg + " needs positive whole numbers separated by commas, not \"" + value + "\"";
        return std::nullopt;
      }
      *lists[arg] = *parsed;
    }
  }
  if (opts.keypairs != "once" && opts.keypairs != "rsa" && opts.keypairs != "ed25519") {
    error = "--keypairs needs once, rsa or ed25519, not \"" + opts.keypairs + "\"";
    return std::nullopt;
  }
  if (opts.command.empty() && !opts.help) {
    error = "name a benchmark: execute, create, pull, files, launcher or manager";
    return std::nullopt;
  }
  return opts;
}

std::string bench_usage() {
  return R"(usage: baikal-bench BENCHMARK [options] [--json]

Each benchmark runs Baikal's side and its baseline in one run and prints both figures and
their ratio (ours / baseline). Docker: --docker-sock, else DOCKER_HOST, else
/var/run/docker.sock. With the private engine of tests/harness/test-env.sh up DIR:
  set -a; . DIR/env; set +a

benchmarks:
  execute   `echo hi` through the kernel runner (agent op::execute, runner client) vs
            docker exec (Engine API exec create/start/inspect, and the docker CLI)
            -n N (500)
  create    create_kernels of --kernels 10,50 vs the Engine API create+start of the same
            container specs, to all started; --rounds (3), --concurrency (4)
  pull      check_and_pull until ImagePullFinished vs POST /images/create, image removed
            between rounds; needs --registry or $BAIKAL_TEST_REGISTRY; --pull-mib (64),
            --rounds (5)
  files     accept_file and the streamed upload of --upload-mib 256,1024, one streamed
            upload of --stream-mib 4096 with this process's RSS growth, and
            download_single/download_file of --download-files 256 files of
            --download-bytes 1044480 vs a plain copy (MiB/s)
  launcher  start_sessions of --sessions 10000 single-kernel sessions on --agents 100
            instant agents, in-process; --middleman adds agents over loopback;
            --batch N sessions per start_sessions call (all at once by default)
  manager   --sessions 10000 sessions from create_session to RUNNING through the whole
            manager on --agents 100 agents that answer at once, store in memory and on a
            WAL file (under --scratch), and with --postgres URL on that PostgreSQL database
            too (emptied before each round: give it a scratch database); --rounds (1);
            --keypairs once|rsa|ed25519: one cluster keypair made before the runs for
            every session (once), or each session's made by the manager's keygen
            workers as in service; needs no Docker engine

common options:
  --image IMAGE (BAIKAL_TEST_IMAGE, else baikal-test/busybox:1)   --runner PATH
  --scratch DIR (/tmp)   --threads N (CAF scheduler threads, 2)   --json
)";
}

} // namespace baikal::bench
