// The launcher's plain functions, without an actor system: grouping, deduplication, network
// rules, environment, creation configs, image references and error info.

#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "actors/manager/error_info.hpp"
#include "actors/manager/launch_plan.hpp"
#include "support/launcher_fixture.hpp"

using namespace baikal;
using namespace baikal::launch;
using baikal::test::make_kernel;
using baikal::test::make_session;

TEST_CASE("launcher plan: images are grouped by agent and deduplicated") {
  auto s1 =
      make_session("s1", {make_kernel("k1", "a1"), make_kernel("k2", "a2", cluster_role::sub, 1)});
  auto s2 = make_session("s2", {make_kernel("k3", "a1", cluster_role::main, 1, test::r_image),
                                make_kernel("k4", "a1", cluster_role::sub, 1),
                                make_kernel("k5", "a3", cluster_role::main, 1, "unknown:1")});
  std::vector<std::string> missing;
  auto groups = group_images_by_agent({s1, s2}, test::image_configs(), &missing);
  REQUIRE(groups.size() == 2);
  CHECK(groups["a1"].size() == 2);
  CHECK(groups["a2"].size() == 1);
  CHECK(groups.count("a3") == 0);
  CHECK(missing == std::vector<std::string>{"unknown:1"});
}

TEST_CASE("launcher plan: queued pulls are merged per agent, each trigger waiting on its own") {
  auto configs = test::image_configs();
  std::map<agent_id, launch::image_configs> first{{"a1", {*configs.find(test::python_image)}}};
  std::map<agent_id, launch::image_configs> second{{"a1", {*configs.find(test::r_image)}},
                                                   {"a2", {*configs.find(test::python_image)}}};
  auto other = configs.at(test::python_image);
  other.digest = "sha256:later";
  std::map<agent_id, launch::image_configs> third{{"a1", {{test::python_image, other}}}};
  auto merged = merge_pulls({first, second, third});
  REQUIRE(merged.size() == 2);
  CHECK(merged["a1"].images.size() == 2);
  CHECK(merged["a1"].images.at(test::python_image).digest == configs.at(test::python_image).digest);
  CHECK(merged["a1"].triggers == std::vector<size_t>{0, 1, 2});
  CHECK(merged["a2"].images.size() == 1);
  CHECK(merged["a2"].triggers == std::vector<size_t>{1});
  CHECK(merge_pulls({}).empty());
}

TEST_CASE("launcher plan: kernels are grouped by agent in session order") {
  auto s =
      make_session("s1", {make_kernel("k1", "a2"), make_kernel("k2", "a1", cluster_role::sub, 1),
                          make_kernel("k3", "a2", cluster_role::sub, 2)});
  auto groups = group_kernels_by_agent(s);
  REQUIRE(groups.size() == 2);
  REQUIRE(groups["a2"].size() == 2);
  CHECK(groups["a2"][0].id == "k1");
  CHECK(groups["a2"][1].id == "k3");
}

TEST_CASE("launcher plan: network kind by type and mode") {
  auto one = make_session("s", {make_kernel("k1", "a1")});
  auto three =
      make_session("s", {make_kernel("k1", "a1"), make_kernel("k2", "a1", cluster_role::sub, 1),
                         make_kernel("k3", "a1", cluster_role::sub, 2)});
  CHECK(plan_network(one) == network_kind::default_bridge);
  CHECK(plan_network(three) == network_kind::local_bridge);
  three.mode = cluster_mode::multi_node;
  CHECK(plan_network(three) == network_kind::plugin);
  one.mode = cluster_mode::multi_node;
  CHECK(plan_network(one) == network_kind::plugin);
  three.network = network_type::host;
  CHECK(plan_network(three) == network_kind::host);
  CHECK(needs_ssh_ports(three));
  one.network = network_type::host;
  CHECK_FALSE(needs_ssh_ports(one));
  three.network = network_type::persistent;
  CHECK(plan_network(three) == network_kind::persistent);
  CHECK(single_node_network_name("s1") == "bai-singlenode-s1");
  CHECK(persistent_network_name("n1") == "persistent-n1");
}

TEST_CASE("launcher plan: hosts and image references") {
  CHECK(host_of("tcp://10.0.0.1:6001") == "10.0.0.1");
  CHECK(host_of("10.0.0.1") == "10.0.0.1");
  CHECK(host_of("tcp://[::1]:6001") == "::1");
  auto ref = parse_image_ref(test::make_image("cr.backend.ai/stable/python:3.9"));
  CHECK(ref.registry == "cr.backend.ai");
  CHECK(ref.project == "stable");
  CHECK(ref.name == "python");
  CHECK(ref.tag == "3.9");
  CHECK(canonical_of(ref) == "cr.backend.ai/stable/python:3.9");
  image_config local;
  local.canonical = "127.0.0.1:5000/baikal-test/busybox";
  ref = parse_image_ref(local);
  CHECK(ref.registry == "127.0.0.1:5000");
  CHECK(ref.name == "busybox");
  CHECK(ref.tag == "latest");
  local.canonical = "ubuntu:22.04";
  local.is_local = true;
  ref = parse_image_ref(local);
  CHECK(ref.registry == "local");
  CHECK(ref.project == "");
  CHECK(ref.name == "ubuntu");
  CHECK(ref.tag == "22.04");
}

TEST_CASE("launcher plan: cluster environ overrides the user's BACKENDAI_ variables") {
  auto s =
      make_session("s1", {make_kernel("k1", "a1"), make_kernel("k2", "a2", cluster_role::sub, 1)});
  s.environ = {{"BACKENDAI_SESSION_ID", "forged"}, {"KEEP", "me"}};
  s.preopen_ports = {8080};
  auto env = make_cluster_environ(s, s.kernels[1], test::make_image(test::python_image));
  CHECK(env.at("BACKENDAI_SESSION_ID") == "s1");
  CHECK(env.at("KEEP") == "me");
  CHECK(env.at("BACKENDAI_CLUSTER_HOSTS") == "main1,sub1");
  CHECK(env.at("BACKENDAI_CLUSTER_HOST") == "sub1");
  CHECK(env.at("BACKENDAI_CLUSTER_REPLICAS") == "main:1,sub:1");
  CHECK(env.at("BACKENDAI_PREOPEN_PORTS") == "8080");
  // without a hostname from the scheduler, role + idx
  s.kernels[1].cluster_hostname.clear();
  CHECK(hostname_of(s.kernels[1]) == "sub1");
}

TEST_CASE("launcher plan: missing images are invalid_argument") {
  auto s = make_session("s1", {make_kernel("k1", "a1", cluster_role::main, 1, "nope:1")});
  auto images = resolve_images(s, test::image_configs());
  REQUIRE_FALSE(images);
  CHECK(code_of(images.error()) == errc::invalid_argument);
  CHECK(message_of(images.error()).find("nope:1") != std::string::npos);
}

TEST_CASE("launcher plan: error info JSON") {
  rapidjson::Document doc;
  doc.Parse(make_error_info({{"", make_error(errc::invalid_argument, "it's bad")}}).c_str());
  CHECK(std::string{doc["error"]["src"].GetString()} == "other");
  CHECK(std::string{doc["error"]["name"].GetString()} == "ValueError");
  CHECK(std::string{doc["error"]["repr"].GetString()} == "ValueError(\"it's bad\")");
  CHECK_FALSE(doc["error"].HasMember("agent_id"));

  doc.Parse(make_error_info({{"a1", make_error(errc::agent_error, "x")},
                             {"a2", make_error(errc::timeout, "y")}})
                .c_str());
  CHECK(std::string{doc["error"]["name"].GetString()} == "MultiAgentError");
  CHECK(std::string{doc["error"]["repr"].GetString()} == "MultiAgentError(2)");
  CHECK(std::string{doc["error"]["collection"][1]["name"].GetString()} == "TimeoutError");
  CHECK(std::string{doc["error"]["collection"][1]["agent_id"].GetString()} == "a2");

  auto err = summarize(
      {{"a1", make_error(errc::agent_error, "x")}, {"a2", make_error(errc::timeout, "y")}});
  CHECK(code_of(err) == errc::agent_error);
  CHECK(message_of(err) == "2 agents failed: [a1] x; [a2] y");
}
