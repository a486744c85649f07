// baikal-sim with its agents in child processes joining the manager over the middleman: the
// real binary runs a tiny workload and its JSON report is checked (every process listed, the
// injected failures found in the right sessions, no child left behind), and a killed parent
// takes its children with it.

#include <doctest/doctest.h>

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

namespace {

struct sim_result {
  int exit_code = -1;
  std::string output;
  std::string log_tail; ///< the last lines the run logged (its errors, if any)
  rapidjson::Document report;
};

/// The last `lines` lines of the file at `path`.
std::string sim_log_tail(const std::filesystem::path& path, size_t lines) {
  std::ifstream in{path};
  std::vector<std::string> kept;
  for (std::string line; std::getline(in, line);) {
    kept.push_back(std::move(line));
    if (kept.size() > lines)
      kept.erase(kept.begin());
  }
  std::string out;
  for (auto& line : kept)
    out += line + "\n";
  return out;
}

/// Runs baikal-sim with `args` and --json; parses what it printed, and keeps the end of its
/// log, which says why a run that printed no report ended.
sim_result run_sim(const std::string& args) {
  sim_result r;
  baikal::test::temp_dir dir{"baikal-sim-test"};
  auto log = dir.path / "sim.log";
  auto cmd = std::string{BAIKAL_SIM_PATH} + " --json " + args + " 2>" + log.string();
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    r.output.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.log_tail = sim_log_tail(log, 30);
  r.report.Parse(r.output.c_str());
  return r;
}

/// The report's problems one per line, and the exit code: what a failure is about, printed
/// before the whole report (which a test log may cut short).
std::string summary_of(const sim_result& r) {
  std::string out = "exit code " + std::to_string(r.exit_code) + "; problems:";
  if (r.report.IsObject() && r.report.HasMember("problems") && r.report["problems"].IsArray())
    for (auto& p : r.report["problems"].GetArray())
      out += "\n  " + std::string{p.IsString() ? p.GetString() : "?"};
  if (r.exit_code != 0)
    out += "\nthe end of its log:\n" + r.log_tail;
  return out;
}

size_t count_of(const rapidjson::Value& obj, const char* key) {
  return obj.HasMember(key) ? obj[key].GetUint64() : 0;
}

/// Whether process `pid` is gone (or only a zombie nobody reaped yet).
bool process_gone(long pid) {
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  if (!stat)
    return true;
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

/// The command line of `pid`, its arguments joined by spaces.
std::string command_line(long pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/cmdline"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& c : text)
    if (c == '\0')
      c = ' ';
  return text;
}

/// The pids whose parent is `parent`, from /proc.
std::vector<long> children_of(long parent) {
  std::vector<long> out;
  DIR* d = ::opendir("/proc");
  if (!d)
    return out;
  while (auto* e = ::readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0)
      continue;
    std::ifstream stat{std::string{"/proc/"} + e->d_name + "/stat"};
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos)
      continue;
    std::istringstream rest{text.substr(close + 2)};
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && state != "Z")
      out.push_back(pid);
  }
  ::closedir(d);
  return out;
}

/// Checks the report's process list: the manager hosting no agent, then `hosts` children
/// hosting `agents` between them, each with its own pid and a peak RSS; every child is gone.
void check_processes(const rapidjson::Document& report, size_t hosts, size_t agents) {
  REQUIRE(report.HasMember("processes"));
  auto& procs = report["processes"];
  REQUIRE(procs.Size() == hosts + 1);
  CHECK(std::string{procs[0]["role"].GetString()} == "manager");
  CHECK(procs[0]["agents"].GetDouble() == 0);
  std::set<int64_t> pids{procs[0]["pid"].GetInt64()};
  double hosted = 0;
  for (rapidjson::SizeType k = 1; k < procs.Size(); ++k) {
    auto& p = procs[k];
    CHECK(std::string{p["role"].GetString()} == "agent-host " + std::to_string(k));
    CHECK(p["agents"].GetDouble() > 0);
    CHECK(p["peak_rss_mib"].GetDouble() > 0);
    hosted += p["agents"].GetDouble();
    pids.insert(p["pid"].GetInt64());
    CHECK(process_gone(p["pid"].GetInt64()));
  }
  CHECK(pids.size() == hosts + 1);
  CHECK(hosted == static_cast<double>(agents));
}

} // namespace

TEST_CASE("sim: agents in two child processes launch every session, and those the failing "
          "agents fail are placed again and run elsewhere") {
  auto r = run_sim("--agent-processes 2 --agents 10 --sessions 200 --fail-create-share 0.2");
  INFO(summary_of(r));
  INFO(r.output);
  REQUIRE_FALSE(r.report.HasParseError());
  CHECK(r.exit_code == 0);
  CHECK(r.report["problems"].Size() == 0);
  check_processes(r.report, 2, 10);
  CHECK(count_of(r.report["injected_agents"], "fails-create") == 2);
  // The failing agents were tried (and quarantined), and no session ended on them: with two
  // of them and two retries, the third attempt always finds a healthy agent.
  CHECK(r.report["placed_on_failing"].GetDouble() > 0);
  CHECK(r.report["failing_capacity_share"].GetDouble() == doctest::Approx(0.2));
  CHECK(r.report["injected_failures_expected"].GetDouble() == 0);
  auto& statuses = r.report["statuses"];
  CHECK(count_of(statuses, "RUNNING") == 200);
  CHECK(count_of(statuses, "ERROR") == 0);
}

TEST_CASE("sim: failing and hanging agents in three child processes: each injected failure is "
          "in the right session") {
  // No silent agents here: whether a session placed on one fails depends on when the agent is
  // marked LOST, so the failure counts would not be exact. Sessions on hanging agents time out
  // after 5 s; healthy ones start well within that even on a loaded machine.
  auto r = run_sim("--agent-processes 3 --agents 20 --sessions 300 --multi-kernel-share 0.2 "
                   "--fail-create-share 0.1 --hang-share 0.1 --session-timeout 5 "
                   "--latency-create uniform:1-5 --latency-pull exp:2");
  INFO(summary_of(r));
  INFO(r.output);
  REQUIRE_FALSE(r.report.HasParseError());
  CHECK(r.exit_code == 0);
  CHECK(r.report["problems"].Size() == 0);
  check_processes(r.report, 3, 20);
  auto& injected = r.report["injected_agents"];
  CHECK(count_of(injected, "fails-create") == 2);
  CHECK(count_of(injected, "hangs") == 2);
  CHECK(count_of(injected, "silent") == 0);
  auto expected = r.report["injected_failures_expected"].GetDouble();
  CHECK(r.report["injected_failures_seen"].GetDouble() == expected);
  // A session whose create failed on a failing agent is placed again (two retries, and the
  // agent is quarantined), so the sessions that end in ERROR are those a hanging agent held
  // past the start timeout: TimeoutError. AgentError may still name one whose every attempt
  // met a failing agent.
  auto& failures = r.report["failures_by_name"];
  CHECK(count_of(failures, "TimeoutError") > 0);
  CHECK(count_of(failures, "AgentError") + count_of(failures, "TimeoutError") ==
        static_cast<size_t>(expected));
  auto& statuses = r.report["statuses"];
  CHECK(count_of(statuses, "RUNNING") + count_of(statuses, "ERROR") == 300);
}

TEST_CASE("sim: in multi-process mode the end-of-run check reports sessions stuck on hanging "
          "agents and exits 1") {
  // The sessions on hanging agents cannot time out (120 s) before the wait gives up (1 s).
  auto r = run_sim("--agent-processes 2 --agents 10 --sessions 100 --hang-share 0.3 "
                   "--session-timeout 120 --max-wait 1");
  INFO(summary_of(r));
  INFO(r.output);
  REQUIRE_FALSE(r.report.HasParseError());
  CHECK(r.exit_code == 1);
  bool stuck = false;
  for (auto& p : r.report["problems"].GetArray())
    stuck = stuck || std::string{p.GetString()}.find("stuck in") != std::string::npos;
  CHECK(stuck);
  check_processes(r.report, 2, 10);
}

TEST_CASE("sim: the child processes end when the parent is killed") {
  baikal::test::temp_dir dir;
  // A workload that would run for hours: only the kill ends it.
  baikal::test::child_process sim{{BAIKAL_SIM_PATH, "--agent-processes", "2", "--agents", "4",
                                   "--sessions", "100000", "--arrival", "5", "--max-wait",
                                   "100000"},
                                  (dir.path / "sim.log").string()};
  long parent = 0;
  std::vector<long> children;
  REQUIRE(baikal::test::eventually([&] {
    // This test's own child: the baikal-sim it started (not one of its agent hosts).
    if (parent == 0)
      for (auto pid : children_of(::getpid()))
        if (command_line(pid).find("--sessions 100000") != std::string::npos)
          parent = pid;
    children = parent ? children_of(parent) : std::vector<long>{};
    bool joined = true;
    for (int i = 0; i < 4; ++i)
      joined = joined && sim.wrote("agent sim-a" + std::to_string(i) + " joined");
    return children.size() == 2 && joined;
  }));
  CHECK(sim.stop(SIGKILL) == 128 + SIGKILL);
  for (auto pid : children)
    CHECK(baikal::test::eventually([&] { return process_gone(pid); }));
}

TEST_CASE("sim: --idle-wait reports the memory idle sessions hold, measured after the wait") {
  auto r = run_sim("--agents 10 --sessions 2000 --idle-wait 0.5");
  INFO(summary_of(r));
  INFO(r.output);
  REQUIRE_FALSE(r.report.HasParseError());
  CHECK(r.exit_code == 0);
  CHECK(r.report["idle_wait_s"].GetDouble() == doctest::Approx(0.5));
  // 2,000 live sessions hold memory: the growth is positive, and below a megabyte each.
  auto heap = r.report["idle_heap_growth_per_session_bytes"].GetDouble();
  CHECK(heap > 0);
  CHECK(heap < 1024 * 1024);
  CHECK(r.report["idle_rss_growth_per_session_bytes"].IsNumber());
  CHECK(r.report["heap_growth_per_session_bytes"].GetDouble() > 0);
  auto without = run_sim("--agents 10 --sessions 20");
  REQUIRE_FALSE(without.report.HasParseError());
  CHECK_FALSE(without.report.HasMember("idle_wait_s"));
}
