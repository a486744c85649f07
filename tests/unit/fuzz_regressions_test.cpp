// What the fuzz targets of tests/fuzz found, each as the plain function's behaviour now; the
// inputs themselves are in tests/fuzz/corpus/TARGET/regression_*, replayed by `ctest -L fuzz`
// in a fuzz build.

#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "actors/agent/kernel_recovery.hpp"
#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/networks.hpp"
#include "tools/baikal-manager/manager_config.hpp"
#include "tools/baikalctl/pull_progress.hpp"

using namespace baikal;

TEST_CASE("agent config: a table header whose key starts with no key character is an error") {
  // fuzz_agent_config: toml++ asserted on "[" followed by NUL (or "!") instead of answering
  // its parse error, in builds without NDEBUG.
  for (auto text : {std::string{"[\0agent]\n", 9}, std::string{"[!]\n"}, std::string{"[[#]]"}}) {
    auto cfg = parse_agent_config(text, "agent.toml");
    REQUIRE_FALSE(cfg);
    CHECK(code_of(cfg.error()) == errc::invalid_argument);
  }
}

TEST_CASE("ctl pull progress: byte counts past 2^64 saturate instead of wrapping") {
  // fuzz_sse_reader: "current":1.09e20 was converted to uint64_t (undefined).
  auto u = ctl::parse_pull_event(R"({"type":"image_pull","phase":"ImagePullProgressEvent",)"
                                 R"("image":"busybox:1","current":1.09e20,"total":1e300})");
  REQUIRE(u);
  CHECK(u->current == std::numeric_limits<uint64_t>::max());
  CHECK(u->total == std::numeric_limits<uint64_t>::max());
  ctl::pull_progress progress;
  progress.apply(*u);
  auto views = progress.pulling({"busybox:1"});
  REQUIRE(views.size() == 1);
  CHECK_FALSE(ctl::progress_summary(views.front()).empty());
}

TEST_CASE("manager config: a number of seconds past a year is refused, naming the key") {
  // fuzz_manager_config: heartbeat-interval = 1e300 overflowed the conversion to milliseconds.
  auto cfg = parse_manager_config("[manager]\nheartbeat-interval = 1e300\n", "bad.toml");
  REQUIRE_FALSE(cfg);
  CHECK(message_of(cfg.error()) ==
        "Invalid bad.toml: manager.heartbeat-interval must be at most 31536000 seconds (a year)");
  CHECK(parse_manager_config("[api]\nstop-grace = 31536000\n", "ok.toml"));
}

TEST_CASE("docker: a number past int64_t in an engine answer saturates") {
  // fuzz_docker_json: {"StatusCode":1379223372036854775808} was converted to int64_t
  // (undefined) by json::int_of, which every integer field of the engine's answers goes through.
  auto big = docker::parse_wait(R"({"StatusCode":1379223372036854775808,"Error":null})");
  REQUIRE(big);
  CHECK(*big == std::numeric_limits<int64_t>::max());
  auto small = docker::parse_wait(R"({"StatusCode":-1e300})");
  REQUIRE(small);
  CHECK(*small == std::numeric_limits<int64_t>::min());
  CHECK(*docker::parse_wait(R"({"StatusCode":137})") == 137);
}

TEST_CASE("docker: a network list entry that is not an object is skipped") {
  // fuzz_docker_json: [1] made network_of call FindMember on a number (an assertion in
  // RapidJSON, out-of-bounds reads without one).
  auto list = docker::parse_network_list(R"([1,{"Name":"bridge","Id":"n1"},"x",null])");
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK(list->front().name == "bridge");
}

TEST_CASE("agent recovery: a listed container whose Id is not a string is skipped") {
  // Through fuzz_docker_json: [{"Id":1,...}] reached GetString on a number (an assertion in
  // RapidJSON, a wild pointer without one).
  auto kernels = parse_kernel_containers(
      R"([{"Id":1,"Labels":{"ai.backend.kernel-id":"k1"}},)"
      R"({"Id":"c2","State":"running","Labels":{"ai.backend.kernel-id":"k2"}}])");
  REQUIRE(kernels.size() == 1);
  CHECK(kernels.front().id == "c2");
  CHECK(kernels.front().kernel == "k2");
}
