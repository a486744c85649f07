// POST /v1/sessions/{id}/restart: the kernel is created again with the launcher's own creation
// config, so it keeps its BACKENDAI_* variables, hostname and network id.

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/launch_plan.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

session_record two_kernel_session() {
  session_record rec;
  auto& s = rec.spec;
  s.id = "sess-1";
  s.name = "restartable";
  s.user_uuid = "user-1";
  s.access_key = "AKIA1";
  s.mode = cluster_mode::single_node;
  s.cluster_size = 2;
  s.environ = {{"MINE", "kept"}};
  for (uint32_t i = 1; i <= 2; ++i) {
    kernel_binding k;
    k.id = "kern-" + std::to_string(i);
    k.agent = "agent-1";
    k.image = "baikal-test/busybox:1";
    k.role = i == 1 ? cluster_role::main : cluster_role::sub;
    k.cluster_idx = i;
    s.kernels.push_back(k);
  }
  rec.network_id = "launcher-made-network"; // what the record keeps is not what kernels see
  return rec;
}

} // namespace

TEST_CASE("http api restart: the restarted kernel gets the launcher's creation config") {
  auto rec = two_kernel_session();
  std::map<std::string, image_config> images;
  images["baikal-test/busybox:1"].canonical = "baikal-test/busybox:1";
  auto cfg = restart_config_of(rec, "kern-2", images);
  REQUIRE_MESSAGE(cfg, message_of(cfg.error()));
  auto launched = launch::make_kernel_creation_config(rec.spec, rec.spec.kernels[1],
                                                      images["baikal-test/busybox:1"]);
  CHECK(cfg->environ == launched.environ);
  CHECK(cfg->network_id == launched.network_id);
  CHECK(cfg->cluster_hostname == launched.cluster_hostname);
  CHECK(cfg->role == cluster_role::sub);
  CHECK(cfg->cluster_idx == 2);
  CHECK(cfg->environ["BACKENDAI_SESSION_ID"] == "sess-1");
  CHECK(cfg->environ["BACKENDAI_CLUSTER_ROLE"] == "sub");
  CHECK(cfg->environ["BACKENDAI_CLUSTER_SIZE"] == "2");
  CHECK(cfg->environ["MINE"] == "kept");
  CHECK(cfg->network_id != rec.network_id);
}

TEST_CASE("http api restart: an image the manager has no config for keeps its reference") {
  auto rec = two_kernel_session();
  auto cfg = restart_config_of(rec, "kern-1", {});
  REQUIRE(cfg);
  CHECK(cfg->image.canonical == "baikal-test/busybox:1");
  CHECK(cfg->environ["BACKENDAI_CLUSTER_ROLE"] == "main");
}

TEST_CASE("http api restart: a kernel the session does not have is not found") {
  auto cfg = restart_config_of(two_kernel_session(), "kern-9", {});
  REQUIRE_FALSE(cfg);
  CHECK(code_of(cfg.error()) == errc::not_found);
}
