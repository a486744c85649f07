// A kernel's name on its session network: the container's hostname and its network alias are
// its cluster hostname, so the hosts of BACKENDAI_CLUSTER_HOSTS resolve in every kernel of a
// multi-node session. Checked on the create body the agent sends; no engine needed.

#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "actors/agent/kernel_spec.hpp"

using namespace baikal;

namespace {

kernel_creation_config sub_kernel() {
  kernel_creation_config cfg;
  cfg.kernel = "k-sub";
  cfg.session = "s-1";
  cfg.image.canonical = "img:1";
  cfg.role = cluster_role::sub;
  cfg.cluster_idx = 1;
  cfg.cluster_hostname = "sub1";
  return cfg;
}

cluster_info on_network(std::string mode, std::string name) {
  cluster_info cluster;
  cluster.network.mode = std::move(mode);
  cluster.network.network_name = std::move(name);
  return cluster;
}

rapidjson::Document create_body(const kernel_creation_config& cfg, const cluster_info& cluster) {
  rapidjson::Document doc;
  auto body = docker::container_create(make_container_spec(cfg, cluster, agent_settings{})).body;
  doc.Parse(body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

} // namespace

TEST_CASE("kernel spec: a kernel on a session network is named by its cluster hostname there") {
  auto doc = create_body(sub_kernel(), on_network("overlay", "bai-multinode-s-1"));
  REQUIRE(doc.HasMember("Hostname"));
  CHECK(std::string{doc["Hostname"].GetString()} == "sub1");
  CHECK(std::string{doc["HostConfig"]["NetworkMode"].GetString()} == "bai-multinode-s-1");
  REQUIRE(doc.HasMember("NetworkingConfig"));
  auto& endpoints = doc["NetworkingConfig"]["EndpointsConfig"];
  REQUIRE(endpoints.IsObject());
  CHECK(endpoints.MemberCount() == 1);
  REQUIRE(endpoints.HasMember("bai-multinode-s-1"));
  auto& aliases = endpoints["bai-multinode-s-1"]["Aliases"];
  REQUIRE(aliases.IsArray());
  REQUIRE(aliases.Size() == 1);
  CHECK(std::string{aliases[0].GetString()} == "sub1");
}

TEST_CASE("kernel spec: a kernel of a session without a network joins the agent's kernel "
          "network with its hostname but no alias") {
  auto doc = create_body(sub_kernel(), on_network("bridge", ""));
  CHECK(std::string{doc["Hostname"].GetString()} == "sub1");
  // Never the engine's default bridge, where kernels of different sessions reach each other.
  CHECK(std::string{doc["HostConfig"]["NetworkMode"].GetString()} == "bai-kernels");
  // Shared by sessions: an alias there would answer for other sessions' kernels too.
  CHECK_FALSE(doc.HasMember("NetworkingConfig"));
  CHECK(kernel_network_aliases(sub_kernel(), "bai-kernels").empty());
  CHECK(kernel_network_aliases(sub_kernel(), "bridge").empty());
  CHECK(kernel_network_aliases(sub_kernel(), "none").empty());
}

TEST_CASE("kernel spec: on the host network a kernel gets neither hostname nor alias") {
  // The engine refuses a hostname in the host's (or another container's) network namespace.
  auto doc = create_body(sub_kernel(), on_network("host", "ignored"));
  CHECK(std::string{doc["HostConfig"]["NetworkMode"].GetString()} == "host");
  CHECK_FALSE(doc.HasMember("Hostname"));
  CHECK_FALSE(doc.HasMember("NetworkingConfig"));
  CHECK(kernel_hostname(sub_kernel(), "container:abc").empty());
  CHECK(kernel_network_aliases(sub_kernel(), "container:abc").empty());
}

TEST_CASE("kernel spec: a config without a cluster hostname leaves the engine's defaults") {
  auto cfg = sub_kernel();
  cfg.cluster_hostname.clear();
  auto doc = create_body(cfg, on_network("bridge", "bai-singlenode-s-1"));
  CHECK_FALSE(doc.HasMember("Hostname"));
  CHECK_FALSE(doc.HasMember("NetworkingConfig"));
}
