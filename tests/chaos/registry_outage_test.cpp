// The registry a session's image comes from stops answering during the pull, then goes away
// altogether: the pull is tried again with backoff and fails with an ImagePullFailed event that
// names the registry and the cause, the session ends ERROR with that reason, no half-pulled tag
// is left, sessions of local images run meanwhile, and once the registry is back its image
// pulls and runs.

#include <doctest/doctest.h>

#include "chaos/private_test_env.hpp"
#include "chaos/session_census.hpp"

using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* outage_kernel_resources = R"("resources":{"cpu":0.1,"mem":33554432})";

std::string outage_session_body(const std::string& name, const std::string& image) {
  return R"({"name":")" + name + R"(","image":")" + image + R"(",)" + outage_kernel_resources + "}";
}

/// Waits until the session is `status` (or has ended); answers the last status seen.
std::string wait_for(const process_cluster& c, const std::string& id, const std::string& status,
                     std::chrono::seconds limit) {
  std::string last;
  eventually(
      [&] {
        last = c.alice.get("/v1/sessions/" + id).str("status");
        return last == status || is_final(last);
      },
      limit);
  return last;
}

} // namespace

TEST_CASE("chaos: a registry that hangs and then dies during a pull fails the session with "
          "the registry's name and the cause, leaves no tag, and serves again once back") {
  private_test_env env;
  auto registry = env.value("BAIKAL_TEST_REGISTRY");
  auto remote = env.value("BAIKAL_TEST_REGISTRY_IMAGE");
  REQUIRE(!registry.empty());
  cluster_options opts;
  opts.docker_socket = env.socket();
  opts.image = env.image();
  opts.agent_docker_toml = "image-pull-timeout = 15.0\nimage-pull-retries = 3\n";
  opts.manager_toml = "\n[[images]]\nreference = \"" + remote + "\"\ncanonical = \"" + remote +
                      "\"\nis-local = false\nauto-pull = \"tag\"\nregistry = { name = \"" +
                      registry + "\", url = \"http://" + registry +
                      "\", username = \"\", password = \"\" }\n";
  process_cluster cluster{opts};
  // The engine keeps the layers (another tag has them) but not this tag: sessions pull it.
  cluster.engine.remove_image(remote);
  REQUIRE_FALSE(cluster.engine.image_exists(remote));
  std::vector<std::string> all;
  auto create = [&](const std::string& name, const std::string& image) {
    all.push_back(cluster.create_session(outage_session_body(name, image)));
    return all.back();
  };

  // 1. The registry accepts connections and never answers: the pull times out.
  env.stop_registry(true);
  auto hung = create("chaos-pull-hung", remote);
  auto fault = std::chrono::steady_clock::now();
  REQUIRE(wait_for(cluster, hung, "ERROR", 120s) == "ERROR");
  figure("registry-hangs", "truth_visible_s", seconds_since(fault));
  auto shown = cluster.alice.get("/v1/sessions/" + hung);
  CHECK_MESSAGE(shown.body.find("from registry " + registry + " did not finish within") !=
                    std::string::npos,
                shown.body);
  CHECK_FALSE(cluster.engine.image_exists(remote));

  // 2. A pull hangs on it, then the registry dies: retried with backoff, then failed.
  auto dying = create("chaos-pull-dying", remote);
  REQUIRE(wait_for(cluster, dying, "PULLING", 60s) == "PULLING");
  env.stop_registry(false);
  fault = std::chrono::steady_clock::now();
  // A session of a local image runs meanwhile.
  auto local = create("chaos-pull-local", env.image());
  REQUIRE(wait_for(cluster, dying, "ERROR", 120s) == "ERROR");
  figure("registry-down", "truth_visible_s", seconds_since(fault));
  shown = cluster.alice.get("/v1/sessions/" + dying);
  CHECK_MESSAGE(shown.body.find("cannot reach registry " + registry) != std::string::npos,
                shown.body);
  CHECK_MESSAGE(shown.body.find("attempts") != std::string::npos, shown.body);
  CHECK_FALSE(cluster.engine.image_exists(remote));
  CHECK(wait_for(cluster, local, "RUNNING", 120s) == "RUNNING");

  // 3. The registry is back: its image pulls and runs.
  env.start_registry();
  auto back = std::chrono::steady_clock::now();
  auto pulled = create("chaos-pull-back", remote);
  REQUIRE(wait_for(cluster, pulled, "RUNNING", 120s) == "RUNNING");
  figure("registry-down", "new_sessions_s", seconds_since(back));
  CHECK(cluster.engine.image_exists(remote));

  auto census = settle(cluster, all, 120s);
  auto strays = settle_containers(cluster, all, 60s);
  figure("registry-down", "sessions_lost", static_cast<double>(census.missing.size()));
  figure("registry-down", "sessions_stuck", static_cast<double>(census.between.size()));
  figure("registry-down", "containers_leaked", static_cast<double>(strays.size()));
  CHECK_MESSAGE(census.settled(), census.summary());
  CHECK(strays.empty());
  CHECK(census.running.size() == 2);
  CHECK(silent_sessions(cluster, census.running) == 0);
}
