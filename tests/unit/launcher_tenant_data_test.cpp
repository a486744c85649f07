// What one user's kernels are given comes from their own session only: two users' sessions
// launched side by side on one agent, and every byte of one user's create_kernels request and
// container create body (environment, labels, binds, name) holds none of the other's data.

#include <doctest/doctest.h>

#include <caf/deep_to_string.hpp>

#include "actors/agent/kernel_spec.hpp"
#include "actors/manager/launch_plan.hpp"
#include "runtime/docker/containers.hpp"
#include "support/launcher_fixture.hpp"

using namespace baikal;
using baikal::test::make_kernel;
using baikal::test::make_session;

namespace {

struct tenant {
  scheduled_session session;
  cluster_info cluster;
  std::vector<std::string> private_values; ///< what no other user's kernel may see
};

tenant make_tenant(const std::string& who, std::vector<kernel_binding> kernels) {
  tenant t;
  t.session = make_session("s-" + who, std::move(kernels));
  t.session.environ = {{"PRIVATE_" + who, who + "-private-value"}};
  t.session.mounts = {{"/storage/" + who + "-folder", "/home/work/" + who + "-folder", "rw"}};
  t.cluster =
      launch::make_cluster_info(t.session, {}, {who + "-ssh-private", who + "-ssh-public"}, {});
  t.private_values = {t.session.id,           t.session.name,  t.session.user_uuid,
                      who + "-private-value", who + "-folder", who + "-ssh-private"};
  for (auto& k : t.session.kernels)
    t.private_values.push_back(k.id);
  return t;
}

/// Everything the agent is asked and hands the engine for `t`'s kernels.
std::vector<std::string> what_kernels_get(const tenant& t) {
  auto images = launch::resolve_images(t.session, test::image_configs());
  REQUIRE(images);
  auto req = launch::make_create_kernels(t.session, t.session.kernels, *images, t.cluster);
  std::vector<std::string> out{caf::deep_to_string(req)};
  agent_settings agent;
  agent.id = "a1";
  agent.runner_path = "/usr/lib/baikal/baikal-kernel-runner";
  for (auto& cfg : req.configs)
    out.push_back(docker::container_create_body(make_container_spec(cfg, req.cluster, agent)));
  return out;
}

void check_sees_only_its_own(const tenant& self, const tenant& other) {
  for (auto& text : what_kernels_get(self)) {
    for (auto& mine : {self.session.id, self.session.user_uuid})
      CHECK(text.find(mine) != std::string::npos);
    for (auto& theirs : other.private_values) {
      CAPTURE(theirs);
      CHECK(text.find(theirs) == std::string::npos);
    }
  }
}

} // namespace

TEST_CASE("launcher plan: a kernel's environment, labels and container hold its own session's "
          "data and nothing of another user's on the same agent") {
  auto alice = make_tenant("alice", {make_kernel("k-alice-1", "a1"),
                                     make_kernel("k-alice-2", "a1", cluster_role::sub, 1)});
  auto bob = make_tenant("bob", {make_kernel("k-bob-1", "a1")});
  check_sees_only_its_own(alice, bob);
  check_sees_only_its_own(bob, alice);
}
