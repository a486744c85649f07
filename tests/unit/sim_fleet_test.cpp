// The plain parts of baikal-sim's multi-process mode: the fleet plan both sides compute, the
// arguments a child gets, the lines it writes, and the piped child process itself.

#include <doctest/doctest.h>

#include <chrono>

#include "messages/errors.hpp"
#include "tools/baikal-sim/agent_host_group.hpp"
#include "tools/baikal-sim/fleet.hpp"
#include "tools/baikal-sim/host_report.hpp"
#include "tools/baikal-sim/piped_child.hpp"
#include "tools/baikal-sim/sim_options.hpp"

using namespace baikal::sim;

namespace {

caf::expected<sim_options> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "baikal-sim");
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return parse_options(static_cast<int>(argv.size()), argv.data());
}

auto soon() {
  return std::chrono::steady_clock::now() + std::chrono::seconds{30};
}

} // namespace

TEST_CASE("sim fleet: the child processes' agent ranges cover the fleet once, evenly") {
  for (size_t agents : {1u, 7u, 10u, 1000u})
    for (size_t hosts = 1; hosts <= std::min<size_t>(agents, 5); ++hosts) {
      size_t next = 0;
      for (size_t k = 0; k < hosts; ++k) {
        auto r = host_range(agents, hosts, k);
        CHECK(r.begin == next);
        CHECK(r.end > r.begin);
        CHECK(r.end - r.begin >= agents / hosts);
        CHECK(r.end - r.begin <= agents / hosts + 1);
        next = r.end;
      }
      CHECK(next == agents);
    }
}

TEST_CASE("sim fleet: faults are the same for every process given the same options") {
  auto o = parse({"--agents", "100", "--sessions", "10", "--fail-create-share", "0.1",
                  "--hang-share", "0.05", "--silent-share", "0.02"});
  REQUIRE(o);
  auto a = assign_faults(*o);
  CHECK(a == assign_faults(*o));
  auto counts = fault_counts(a);
  CHECK(counts["fails-create"] == 10);
  CHECK(counts["hangs"] == 5);
  CHECK(counts["silent"] == 2);
  CHECK(counts.count("healthy") == 0);
  auto by_id = faults_by_id(a);
  CHECK(by_id.size() == 100);
  for (size_t i = 0; i < a.size(); ++i)
    CHECK(by_id[sim_agent_id(i)] == a[i]);
  auto cfg = agent_config_for(*o, 7, a[7]);
  CHECK(cfg->id == "sim-a7");
  CHECK(cfg->seed == 8);
  CHECK(cfg->fault == a[7]);
}

TEST_CASE("sim fleet: a child gets the parent's options, its registry and its range") {
  auto parent = parse({"--agents", "10", "--sessions", "50", "--agent-processes", "2", "--json",
                       "--fail-create-share", "0.3", "--latency-create", "uniform:1-20"});
  REQUIRE(parent);
  auto args = agent_host_arguments(parent->args, "127.0.0.1:4567", 5, 10);
  for (auto& a : args) {
    CHECK(a != "--agent-processes");
    CHECK(a != "--json");
  }
  auto child = parse(args);
  REQUIRE(child);
  CHECK(child->agent_host == "127.0.0.1:4567");
  CHECK(child->host_begin == 5);
  CHECK(child->host_end == 10);
  CHECK(child->agent_processes == 0);
  CHECK(child->agents == 10);
  CHECK(child->sessions == 50);
  CHECK(child->fail_create_share == parent->fail_create_share);
  CHECK(child->create.shape == latency::kind::uniform);
  CHECK(assign_faults(*child) == assign_faults(*parent));
  CHECK(agent_capacity(*child) == agent_capacity(*parent));
}

TEST_CASE("sim options: bad multi-process options are refused with a reason") {
  auto too_many = parse({"--agents", "2", "--sessions", "5", "--agent-processes", "3"});
  REQUIRE_FALSE(too_many);
  CHECK(baikal::message_of(too_many.error()).find("--agent-processes") != std::string::npos);
  auto no_range = parse({"--agents", "2", "--sessions", "5", "--agent-host", "127.0.0.1:1"});
  CHECK_FALSE(no_range);
  auto past = parse(
      {"--agents", "2", "--sessions", "5", "--agent-host", "127.0.0.1:1", "--agent-range", "0-3"});
  CHECK_FALSE(past);
  auto empty = parse(
      {"--agents", "2", "--sessions", "5", "--agent-host", "127.0.0.1:1", "--agent-range", "1-1"});
  CHECK_FALSE(empty);
}

TEST_CASE("sim host report: ready and report lines read back, other lines are not taken") {
  CHECK(parse_ready_line(ready_line(250)) == caf::optional<size_t>{250});
  CHECK_FALSE(parse_ready_line("baikal-sim-host ready"));
  CHECK_FALSE(parse_ready_line("baikal-sim-host ready 3x"));
  CHECK_FALSE(parse_ready_line("ready 3"));
  process_figures p{"agent-host 2", 4242, 250, 123456789, 12.5};
  auto back = parse_report_line(report_line(p));
  REQUIRE(back);
  CHECK(back->pid == 4242);
  CHECK(back->agents == 250);
  CHECK(back->peak_rss == 123456789);
  CHECK(back->cpu_s == doctest::Approx(12.5));
  CHECK_FALSE(parse_report_line(ready_line(3)));
  CHECK_FALSE(parse_report_line("baikal-sim-host report pid=1 agents=2"));
  CHECK_FALSE(parse_report_line("some log line"));
}

TEST_CASE("sim piped child: lines both ways, EOF on stdin ends it, exit code kept") {
  auto c = piped_child::start("/bin/sh", {"-c", "echo first; cat >/dev/null; echo last; exit 3"});
  REQUIRE(c);
  auto first = c->read_line(soon());
  REQUIRE(first);
  CHECK(*first == "first");
  // The child waits for its stdin to close: no line comes before that.
  auto none = c->read_line(std::chrono::steady_clock::now());
  REQUIRE_FALSE(none);
  CHECK(baikal::code_of(none.error()) == baikal::errc::timeout);
  c->close_stdin();
  auto last = c->read_line(soon());
  REQUIRE(last);
  CHECK(*last == "last");
  CHECK_FALSE(c->read_line(soon()));
  CHECK(c->wait() == 3);
}
