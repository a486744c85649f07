// Batch sessions against real processes: the manager has the main kernel run the startup
// command once the session is RUNNING, and the command's end ends the session: TERMINATED with
// the command's exit code (its output still readable as the session's logs once the kernel is
// gone), or ERROR batch-timeout when it runs past its batch_timeout.

#include <doctest/doctest.h>

#include "cluster/process_cluster.hpp"
#include "cluster/stored_history.hpp"
#include "runtime/store/session_store.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

std::string batch_session(process_cluster& c, const std::string& name, const std::string& command,
                          const std::string& extra = {}) {
  return c.create_session(R"({"name":")" + name + R"(","image":")" + c.image +
                          R"(","type":"batch","startup_command":")" + command + R"(")" + extra +
                          R"(,"resources":{"cpu":1,"mem":134217728}})");
}

} // namespace

TEST_CASE("cluster: batch: a batch session ends TERMINATED with the command's exit code and its "
          "logs stay readable") {
  process_cluster cluster;
  auto id = batch_session(cluster, "batch-3", "echo batch-out; exit 3");
  REQUIRE(cluster.wait_session_status(id, "TERMINATED", 120s) == "TERMINATED");
  auto shown = cluster.alice.get("/v1/sessions/" + id);
  REQUIRE(shown.status == 200);
  CHECK(shown.str("type") == "batch");
  REQUIRE(shown.json["result"].IsObject());
  CHECK(shown.json["result"]["exit_code"].GetInt64() == 3);
  auto container = kernel_field(shown, 0, "container_id");
  CHECK(history_of(cluster, id).back().reason == "batch command exited with code 3");
  // The kernel is gone, and the logs are the command's output all the same.
  if (!container.empty())
    CHECK(eventually([&] { return !cluster.engine.container_exists(container); }));
  auto logs = cluster.alice.get("/v1/sessions/" + id + "/logs");
  REQUIRE_MESSAGE(logs.status == 200, logs.body);
  CHECK(logs.str("logs").find("batch-out") != std::string::npos);
}

TEST_CASE("cluster: batch: a batch session past its batch_timeout ends ERROR with reason "
          "batch-timeout") {
  process_cluster cluster;
  auto id = batch_session(cluster, "batch-slow", "echo started; sleep 30", R"(,"batch_timeout":2)");
  REQUIRE(cluster.wait_session_status(id, "ERROR", 120s) == "ERROR");
  auto h = history_of(cluster, id);
  REQUIRE(!h.empty());
  CHECK(h.back().reason == "batch-timeout: the startup command ran longer than 2 s");
  auto shown = cluster.alice.get("/v1/sessions/" + id);
  REQUIRE(shown.status == 200);
  CHECK(shown.json["result"].IsNull());
  CHECK(shown.body.find("batch-timeout") != std::string::npos); // in status_data
  // What it printed before its limit stays readable.
  auto logs = cluster.alice.get("/v1/sessions/" + id + "/logs");
  REQUIRE_MESSAGE(logs.status == 200, logs.body);
  CHECK(logs.str("logs").find("started") != std::string::npos);
  // An interactive session shows its type and no result.
  auto plain = cluster.create_session(R"({"name":"plain","image":")" + cluster.image +
                                      R"(","resources":{"cpu":1,"mem":134217728}})");
  auto plain_shown = cluster.alice.get("/v1/sessions/" + plain);
  CHECK(plain_shown.str("type") == "interactive");
  CHECK(plain_shown.json["result"].IsNull());
}
