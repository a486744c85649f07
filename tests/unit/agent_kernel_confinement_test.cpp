// What confines a kernel's container, checked on the create body the agent sends (the docker
// tests check it inside a real kernel): no new privileges, only the capabilities the runner
// drops with root, the agent's pids and open-files limits, the engine's seccomp profile.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "actors/agent/kernel_network.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

kernel_creation_config a_kernel() {
  kernel_creation_config cfg;
  cfg.kernel = "k-1";
  cfg.session = "s-1";
  cfg.image.canonical = "img:1";
  cfg.role = cluster_role::main;
  cfg.cluster_hostname = "main1";
  return cfg;
}

rapidjson::Document create_body(const agent_settings& settings) {
  rapidjson::Document doc;
  auto body = docker::container_create(make_container_spec(a_kernel(), {}, settings)).body;
  doc.Parse(body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::vector<std::string> strings_of(const rapidjson::Value& array) {
  std::vector<std::string> out;
  for (auto& v : array.GetArray())
    out.emplace_back(v.GetString());
  return out;
}

} // namespace

TEST_CASE("kernel spec: a kernel has no new privileges and only the runner's capabilities") {
  auto doc = create_body(agent_settings{});
  auto& host = doc["HostConfig"];
  CHECK(strings_of(host["SecurityOpt"]) == std::vector<std::string>{"no-new-privileges"});
  CHECK(strings_of(host["CapDrop"]) == std::vector<std::string>{"ALL"});
  CHECK(strings_of(host["CapAdd"]) == std::vector<std::string>{"SETGID", "SETUID"});
  CHECK_FALSE(host.HasMember("Privileged"));
}

TEST_CASE("kernel spec: the runner of an agent that is not root may also bind in a directory "
          "it does not own") {
  agent_settings settings;
  settings.root_owns_scratch = false;
  CHECK(runner_capabilities(settings) ==
        std::vector<std::string>{"SETGID", "SETUID", "DAC_OVERRIDE"});
}

TEST_CASE("kernel spec: every kernel has the agent's pids and open-files limits") {
  agent_settings settings;
  CHECK(create_body(settings)["HostConfig"]["PidsLimit"].GetInt64() == 4096);
  CHECK(create_body(settings)["HostConfig"]["Ulimits"][0]["Hard"].GetInt64() == 16384);
  settings.kernel_pids_limit = 300;
  settings.kernel_open_files = 2048;
  auto doc = create_body(settings);
  auto& host = doc["HostConfig"];
  CHECK(host["PidsLimit"].GetInt64() == 300);
  REQUIRE(host["Ulimits"].Size() == 1);
  CHECK(std::string{host["Ulimits"][0]["Name"].GetString()} == "nofile");
  CHECK(host["Ulimits"][0]["Soft"].GetInt64() == 2048);
  CHECK(host["Ulimits"][0]["Hard"].GetInt64() == 2048);
}

TEST_CASE("kernel spec: an open-files limit above the engine's own is explained as the "
          "setting") {
  agent_settings settings;
  settings.kernel_open_files = 900000;
  auto refused = make_error(errc::runtime_error,
                            "failed to create shim task: OCI runtime create failed: error setting "
                            "rlimits for ready process: error setting rlimit type 7: operation "
                            "not permitted: unknown");
  auto explained = explain_start_failure(refused, settings);
  CHECK(code_of(explained) == errc::runtime_error);
  auto text = message_of(explained);
  CHECK(text.rfind("the Docker engine cannot give kernels container.kernel-open-files = 900000 "
                   "open files",
                   0) == 0);
  CHECK(text.find("error setting rlimit type 7") != std::string::npos);
  auto other = make_error(errc::not_found, "network bai-x not found");
  CHECK(message_of(explain_start_failure(other, settings)) == "network bai-x not found");
}

TEST_CASE("kernel spec: seccomp is left to the engine's default profile") {
  auto doc = create_body(agent_settings{});
  for (auto& opt : strings_of(doc["HostConfig"]["SecurityOpt"]))
    CHECK(opt.find("seccomp") == std::string::npos);
}

TEST_CASE("kernel network: the agent's kernel network keeps its containers apart") {
  auto spec = kernel_network_spec();
  CHECK(spec.name == "bai-kernels");
  CHECK(spec.driver == "bridge");
  CHECK(spec.options.at("com.docker.network.bridge.enable_icc") == "false");
}

TEST_CASE("kernel network: of two networks with its name, every agent keeps the lowest id") {
  std::vector<docker::network_info> listed(4);
  listed[0].id = "f00d";
  listed[0].name = "bai-kernels";
  listed[1].id = "beef";
  listed[1].name = "bai-kernels";
  listed[2].id = "0001";
  listed[2].name = "bai-kernels-old"; // the engine's name filter matches substrings
  listed[3].id = "c0de";
  listed[3].name = "bai-kernels";
  CHECK(duplicate_networks(listed, "bai-kernels") == std::vector<std::string>{"c0de", "f00d"});
  // The one kept, which kernels join by id whether or not the others could be removed.
  CHECK(kept_network(listed, "bai-kernels") == "beef");
  listed.resize(1);
  CHECK(duplicate_networks(listed, "bai-kernels").empty());
  CHECK(kept_network(listed, "bai-kernels") == "f00d");
  CHECK(duplicate_networks({}, "bai-kernels").empty());
  CHECK(kept_network({}, "bai-kernels").empty());
}

TEST_CASE("kernel network: the engine refusing a name two networks carry is recognised") {
  CHECK(names_ambiguous_network(make_error(
      errc::invalid_argument, "2 matches found based on name: network bai-kernels is ambiguous")));
  CHECK_FALSE(
      names_ambiguous_network(make_error(errc::not_found, "network bai-kernels not found")));
  CHECK_FALSE(names_ambiguous_network(caf::error{}));
}

TEST_CASE("kernel network: a create or start that lost its network to another agent is "
          "recognised") {
  CHECK(lost_network(make_error(errc::not_found,
                                "Could not attach to network bai-kernels: rpc error: code = "
                                "NotFound desc = network bai-kernels not found"),
                     "bai-kernels"));
  CHECK(lost_network(make_error(errc::invalid_argument,
                                "2 matches found based on name: network bai-kernels is ambiguous"),
                     "bai-kernels"));
  CHECK_FALSE(lost_network(make_error(errc::not_found, "network other not found"), "bai-kernels"));
  CHECK_FALSE(lost_network(make_error(errc::not_found, "No such image: busybox"), "bai-kernels"));
  CHECK_FALSE(lost_network(caf::error{}, "bai-kernels"));
}
