// Idle reaping against real processes: a session that nobody uses for its idle_timeout is
// terminated by the manager with reason idle-timeout and its container removed; one that gets
// an execute every second stays RUNNING past its idle_timeout, and is reaped once they stop.

#include <doctest/doctest.h>

#include <thread>

#include "cluster/process_cluster.hpp"
#include "cluster/stored_history.hpp"
#include "runtime/store/session_store.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

std::string idle_session(process_cluster& c, const std::string& name, int idle_timeout) {
  return c.create_session(R"({"name":")" + name + R"(","image":")" + c.image +
                          R"(","idle_timeout":)" + std::to_string(idle_timeout) +
                          R"(,"resources":{"cpu":1,"mem":134217728}})");
}

/// The session ended TERMINATED by the manager for being idle, as its history, its status_data
/// and the engine show.
void check_reaped(const process_cluster& c, const std::string& id, const std::string& container,
                  int idle_timeout) {
  auto reason = "idle-timeout: no activity for " + std::to_string(idle_timeout) + " s";
  auto h = history_of(c, id);
  REQUIRE(h.size() >= 2);
  CHECK(to_string(h[h.size() - 2].status) == "TERMINATING");
  CHECK(h[h.size() - 2].reason == reason);
  CHECK(to_string(h.back().status) == "TERMINATED");
  CHECK(h.back().reason == reason);
  auto shown = c.alice.get("/v1/sessions/" + id);
  REQUIRE(shown.status == 200);
  CHECK(shown.json["idle_timeout"].GetInt64() == idle_timeout);
  CHECK(shown.body.find(reason) != std::string::npos); // in status_data
  CHECK(eventually([&] { return !c.engine.container_exists(container); }));
}

} // namespace

TEST_CASE("cluster: idle reaping: a session with no activity for its idle_timeout is terminated "
          "with reason idle-timeout") {
  process_cluster cluster;
  auto id = idle_session(cluster, "idle-2", 2);
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto container = kernel_field(cluster.alice.get("/v1/sessions/" + id), 0, "container_id");
  REQUIRE(!container.empty());
  REQUIRE(cluster.wait_session_status(id, "TERMINATED", 60s) == "TERMINATED");
  check_reaped(cluster, id, container, 2);
}

TEST_CASE("cluster: idle reaping: a session that gets an execute every second stays RUNNING past "
          "its idle_timeout, and is reaped once they stop") {
  process_cluster cluster;
  auto id = idle_session(cluster, "idle-3", 3);
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto container = kernel_field(cluster.alice.get("/v1/sessions/" + id), 0, "container_id");
  auto until = std::chrono::steady_clock::now() + 6s;
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(cluster.run(id, "echo busy") == "busy\n");
    std::this_thread::sleep_for(1s);
  }
  auto shown = cluster.alice.get("/v1/sessions/" + id);
  CHECK(shown.str("status") == "RUNNING");
  // Reading the logs is no activity: the session is reaped all the same.
  CHECK(cluster.alice.get("/v1/sessions/" + id + "/logs").status == 200);
  REQUIRE(cluster.wait_session_status(id, "TERMINATED", 60s) == "TERMINATED");
  check_reaped(cluster, id, container, 3);
}
