// The agent's kernels against the engine's containers: what the agent does after the engine
// came back or a container stopped.

#include <doctest/doctest.h>

#include "actors/agent/kernel_reconcile.hpp"

using namespace baikal;
using kind = reconcile_action::kind;

namespace {

labelled_container container(std::string id, std::string state, std::string kernel,
                             std::string status = {}) {
  labelled_container c;
  c.id = std::move(id);
  c.state = std::move(state);
  c.kernel = std::move(kernel);
  c.session = "s1";
  c.status = std::move(status);
  return c;
}

} // namespace

TEST_CASE("reconcile: kernels whose containers run need nothing") {
  auto actions =
      reconcile_kernels({{"k1", "c1", {}}, {"k2", "c2", {}}}, {},
                        {container("c1", "running", "k1"), container("c2", "paused", "k2")});
  CHECK(actions.empty());
}

TEST_CASE("reconcile: a kernel whose container exited is lost, with its exit code") {
  auto actions = reconcile_kernels({{"k1", "c1", {}}}, {},
                                   {container("c1", "exited", "k1", "Exited (137) 3 seconds ago")});
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].what == kind::lose);
  CHECK(actions[0].kernel == "k1");
  CHECK(actions[0].container == "c1");
  REQUIRE(actions[0].exit_code);
  CHECK(*actions[0].exit_code == 137);
  CHECK(actions[0].detail == "its container c1 is exited (Exited (137) 3 seconds ago)");
}

TEST_CASE("reconcile: a kernel whose container is gone is lost") {
  auto actions = reconcile_kernels({{"k1", "0123456789abcdef", {}}}, {}, {});
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].what == kind::lose);
  CHECK_FALSE(actions[0].exit_code);
  CHECK(actions[0].detail == "its container 0123456789ab no longer exists");
}

TEST_CASE("reconcile: a kernel whose destroy failed while the engine was away is destroyed "
          "again, whatever its container does") {
  auto actions = reconcile_kernels({{"k1", "c1", "user-requested"}, {"k2", "c2", "user-requested"}},
                                   {}, {container("c1", "running", "k1")});
  REQUIRE(actions.size() == 2);
  for (auto& a : actions) {
    CHECK(a.what == kind::destroy);
    CHECK(a.reason == "user-requested");
  }
}

TEST_CASE("reconcile: a container no kernel owns is removed, unless its kernel is being "
          "created") {
  auto actions =
      reconcile_kernels({{"k1", "c1", {}}}, {"k3"},
                        {container("c1", "running", "k1"), container("c2", "exited", "k2"),
                         container("c3", "created", "k3"), container("c4", "running", "k4")});
  REQUIRE(actions.size() == 2);
  CHECK(actions[0].what == kind::remove);
  CHECK(actions[0].container == "c2");
  CHECK(actions[1].what == kind::remove);
  CHECK(actions[1].container == "c4");
  CHECK(actions[1].kernel == "k4");
}

TEST_CASE("reconcile: an old container of a kernel that now has another is removed, and the "
          "kernel whose new container is missing is lost") {
  auto actions = reconcile_kernels({{"k1", "new", {}}}, {}, {container("old", "exited", "k1")});
  REQUIRE(actions.size() == 2);
  CHECK(actions[0].what == kind::lose);
  CHECK(actions[0].container == "new");
  CHECK(actions[1].what == kind::remove);
  CHECK(actions[1].container == "old");
}

TEST_CASE("reconcile: exit codes are read from the engine's status words only when there") {
  CHECK(exit_code_of_status("Exited (0) 1 second ago") == std::optional<int32_t>{0});
  CHECK(exit_code_of_status("Exited (143) About a minute ago") == std::optional<int32_t>{143});
  CHECK_FALSE(exit_code_of_status("Up 5 minutes"));
  CHECK_FALSE(exit_code_of_status("Exited (x)"));
  CHECK_FALSE(exit_code_of_status(""));
  CHECK(container_runs("running"));
  CHECK(container_runs("restarting"));
  CHECK_FALSE(container_runs("exited"));
  CHECK_FALSE(container_runs("dead"));
  CHECK_FALSE(container_runs("created"));
}
