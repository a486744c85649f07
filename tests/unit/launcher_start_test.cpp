// Launcher scenarios SC-LA-005..008 and SC-LA-014..018: start_sessions against test agents.

#include "support/eventually.hpp"
#include "support/launcher_fixture.hpp"

#include <rapidjson/document.h>

#include "runtime/ssh/keypair.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

rapidjson::Document parse_json(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.HasMember("error"));
  return doc;
}

std::string field(const rapidjson::Value& obj, const char* name) {
  REQUIRE(obj.HasMember(name));
  return obj[name].GetString();
}

} // namespace

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-005 start single kernel session") {
  add_agent("a1");
  auto report = start({make_session("s1", {make_kernel("k1", "a1")})});
  CHECK(outcome(report, "s1").error == "");
  auto req = only_create("a1");
  CHECK(req.session == "s1");
  CHECK(req.kernel_ids == std::vector<kernel_id>{"k1"});
  REQUIRE(req.configs.size() == 1);
  auto& config = req.configs[0];
  CHECK(config.kernel == "k1");
  CHECK(config.session == "s1");
  CHECK(config.image.canonical == python_image);
  CHECK(config.slots.at("cpu") == 1);
  CHECK(config.role == cluster_role::main);
  CHECK(config.environ.at("BACKENDAI_KERNEL_ID") == "k1");
  CHECK(req.image_refs.at("k1").name == "python");
  CHECK(req.cluster.network.mode == "bridge");
  // The network id is recorded for every session; a single kernel uses the default network.
  // With no network to clean up the start does not wait for the record, so it may come after.
  CHECK(baikal::test::eventually(
      [&] {
        return rec->network_ids() == recorder::session_value{{"s1", ""}};
      },
      std::chrono::seconds{10}));
  CHECK(rec->error_infos().empty());
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-006 multi-kernel cluster session") {
  keypairs = nullptr; // the launcher's own RSA generation, end to end
  for (auto a : {"a1", "a2", "a3"})
    add_agent(a);
  add_plugin("overlay", [](const std::string& id) -> caf::expected<network_info> {
    return network_info{"overlay-" + id, {}};
  });
  auto session = make_session("s1",
                              {make_kernel("k1", "a1", cluster_role::main, 1),
                               make_kernel("k2", "a2", cluster_role::sub, 1),
                               make_kernel("k3", "a3", cluster_role::sub, 2)},
                              cluster_mode::multi_node);
  auto report = start({session});
  CHECK(outcome(report, "s1").error == "");
  size_t creates = 0;
  for (auto a : {"a1", "a2", "a3"}) {
    auto req = only_create(a);
    ++creates;
    CHECK(req.cluster.size == 3);
    CHECK(req.cluster.replicas.at("sub") == 2);
    CHECK(req.cluster.ssh.private_key.rfind("-----BEGIN RSA PRIVATE KEY-----", 0) == 0);
    CHECK(req.cluster.ssh.public_key.rfind("ssh-rsa ", 0) == 0);
    REQUIRE(req.configs.size() == 1);
    CHECK(req.configs[0].environ.at("BACKENDAI_CLUSTER_SIZE") == "3");
    CHECK(req.configs[0].environ.at("BACKENDAI_CLUSTER_HOSTS") == "main1,sub1,sub2");
  }
  CHECK(creates == 3);
  // one keypair for the whole cluster
  CHECK(only_create("a1").cluster.ssh.public_key == only_create("a3").cluster.ssh.public_key);
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-007 session without kernels raises error") {
  add_agent("a1");
  auto report = start({make_session("s1", {})});
  auto o = outcome(report, "s1");
  CHECK(o.error == "invalid_argument");
  CHECK(o.message.find("no kernels") != std::string::npos);
  auto infos = rec->error_infos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].first == "s1");
  auto doc = parse_json(infos[0].second);
  CHECK(field(doc["error"], "src") == "other");
  CHECK(field(doc["error"], "name") == "ValueError");
  CHECK(rec->agents_contacted() == 0);
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-008 concurrent session start with timeout") {
  config.session_start_timeout = 1s;
  use_ready_keypair(); // the deadline is the point here, not RSA generation time
  agent_script fast;
  fast.create_delay = 100ms;
  agent_script slow;
  slow.create_delay = 60s; // far beyond the timeout; the agent is stopped with the test
  add_agent("a1", fast);
  add_agent("a2", slow);
  auto began = std::chrono::steady_clock::now();
  auto report = start({make_session("s1", {make_kernel("k1", "a1")}),
                       make_session("s2", {make_kernel("k2", "a2")})});
  auto took = std::chrono::steady_clock::now() - began;
  CHECK(took < 5s);
  REQUIRE(report.outcomes.size() == 2);
  CHECK(outcome(report, "s1").error == "");
  CHECK(outcome(report, "s2").error == "timeout");
  CHECK(logs.count(spdlog::level::warn, "Timeout starting session s2") == 1);
  CHECK(logs.count(spdlog::level::warn, "Timeout starting session s1") == 0);
  auto infos = rec->error_infos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].first == "s2");
  CHECK(field(parse_json(infos[0].second)["error"], "name") == "TimeoutError");
}

TEST_CASE_FIXTURE(launcher_fixture,
                  "SC-LA-014 kernel creation config contains all required fields") {
  add_agent("a1");
  auto session = make_session("s1", {make_kernel("k1", "a1", cluster_role::main, 1),
                                     make_kernel("k2", "a1", cluster_role::sub, 1, r_image)});
  session.project_id = "p1";
  session.type = session_type::batch;
  session.environ = {{"MY_VAR", "1"}};
  session.mounts = {{"/data/vfolder", "/home/work/data", "ro"}};
  session.idle_timeout = 600;
  session.preopen_ports = {8080, 8081};
  session.kernels[1].local_rank = 1;
  CHECK(outcome(start({session}), "s1").error == "");
  auto req = only_create("a1");
  REQUIRE(req.configs.size() == 2);
  auto& c = req.configs[1];
  CHECK(c.image.canonical == r_image);
  CHECK(c.kernel == "k2");
  CHECK(c.session == "s1");
  CHECK(c.slots == resource_slots{{"cpu", 1}, {"mem", 1073741824}});
  CHECK(c.mode == cluster_mode::single_node);
  CHECK(c.role == cluster_role::sub);
  CHECK(c.cluster_idx == 1);
  CHECK(c.cluster_hostname == "sub1");
  CHECK(c.local_rank == 1);
  CHECK(c.environ.at("MY_VAR") == "1");
  CHECK(c.environ.at("BACKENDAI_SESSION_ID") == "s1");
  CHECK(c.mounts.size() == 1);
  CHECK(c.mounts[0].target == "/home/work/data");
  CHECK(c.idle_timeout == 600);
  CHECK(c.preopen_ports == std::vector<uint16_t>{8080, 8081});
  CHECK(c.type == session_type::batch);
  CHECK(c.owner_user_id == "u-s1");
  CHECK(c.owner_project_id == "p1");
  CHECK(c.agent_addr == "tcp://10.0.0.1:6001");
  CHECK(c.scaling_group == "default");
  CHECK(req.image_refs.at("k2").name == "r");
  CHECK(req.image_refs.at("k2").tag == "4.1");
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-015 environment variables correctly populated") {
  add_agent("a1");
  add_agent("a2");
  auto session = make_session("s1",
                              {make_kernel("k1", "a1", cluster_role::main, 1),
                               make_kernel("k2", "a1", cluster_role::sub, 1),
                               make_kernel("k3", "a2", cluster_role::sub, 2)},
                              cluster_mode::single_node);
  CHECK(outcome(start({session}), "s1").error == "");
  std::map<kernel_id, kernel_creation_config> configs;
  for (auto a : {"a1", "a2"})
    for (auto& c : only_create(a).configs)
      configs[c.kernel] = c;
  REQUIRE(configs.size() == 3);
  for (auto& [id, c] : configs) {
    CHECK(c.environ.at("BACKENDAI_USER_UUID") == "u-s1");
    CHECK(c.environ.at("BACKENDAI_SESSION_ID") == "s1");
    CHECK(c.environ.at("BACKENDAI_SESSION_NAME") == "sess-s1");
    CHECK(c.environ.at("BACKENDAI_ACCESS_KEY") == "AKIAs1");
    CHECK(c.environ.at("BACKENDAI_CLUSTER_SIZE") == "3");
    CHECK(c.environ.at("BACKENDAI_CLUSTER_HOSTS") == "main1,sub1,sub2");
    CHECK(c.environ.at("BACKENDAI_KERNEL_ID") == id);
  }
  CHECK(configs["k1"].environ.at("BACKENDAI_CLUSTER_ROLE") == "main");
  CHECK(configs["k2"].environ.at("BACKENDAI_CLUSTER_ROLE") == "sub");
  CHECK(configs["k3"].environ.at("BACKENDAI_CLUSTER_ROLE") == "sub");
  CHECK(configs["k3"].environ.at("BACKENDAI_CLUSTER_IDX") == "2");
  CHECK(configs["k3"].environ.at("BACKENDAI_CLUSTER_HOST") == "sub2");
  CHECK(configs["k1"].environ.at("BACKENDAI_CLUSTER_LOCAL_RANK") == "0");
}

TEST_CASE("SC-LA-016 ssh keypair generation for cluster") {
  auto keys = ssh::generate_cluster_keypair();
  REQUIRE(keys);
  CHECK(keys->private_key.rfind("-----BEGIN RSA PRIVATE KEY-----\n", 0) == 0);
  CHECK(keys->private_key.find("-----END RSA PRIVATE KEY-----") != std::string::npos);
  CHECK(keys->public_key.rfind("ssh-rsa AAAAB3NzaC1yc2E", 0) == 0); // "ssh-rsa" in the blob
  const std::string suffix = " work@cluster.backend.ai.local";
  REQUIRE(keys->public_key.size() > suffix.size());
  CHECK(keys->public_key.compare(keys->public_key.size() - suffix.size(), suffix.size(), suffix) ==
        0);
  CHECK(ssh::openssh_public_key_to_pem(keys->public_key));
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-017 agent error updates session error info") {
  agent_script failing;
  failing.create_error = make_error(errc::agent_error, "Container creation failed");
  add_agent("a1", failing);
  auto report = start({make_session("s1", {make_kernel("k1", "a1")})});
  auto o = outcome(report, "s1");
  CHECK(o.error == "agent_error");
  CHECK(o.message == "Container creation failed");
  auto infos = rec->error_infos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].first == "s1");
  auto doc = parse_json(infos[0].second);
  auto& err = doc["error"];
  CHECK(field(err, "src") == "agent");
  CHECK(field(err, "name") == "AgentError");
  CHECK(field(err, "repr") == "AgentError('Container creation failed')");
  CHECK(field(err, "agent_id") == "a1");
  // not terminated: nothing destroyed, left for the lifecycle's timeout detection
  CHECK(rec->agent("a1").destroys == 0);
  CHECK(rec->agent("a1").creates.size() == 1);
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-017 several failing agents give a collection") {
  agent_script failing;
  failing.create_error = make_error(errc::agent_error, "Container creation failed");
  add_agent("a1", failing);
  add_agent("a2", failing);
  add_agent("a3");
  auto session =
      make_session("s1", {make_kernel("k1", "a1"), make_kernel("k2", "a2", cluster_role::sub, 1),
                          make_kernel("k3", "a3", cluster_role::sub, 2)});
  auto o = outcome(start({session}), "s1");
  CHECK(o.error == "agent_error");
  auto infos = rec->error_infos();
  REQUIRE(infos.size() == 1);
  auto doc = parse_json(infos[0].second);
  auto& err = doc["error"];
  CHECK(field(err, "name") == "MultiAgentError");
  REQUIRE(err["collection"].IsArray());
  REQUIRE(err["collection"].Size() == 2);
  CHECK(field(err["collection"][0], "agent_id") == "a1");
  CHECK(field(err["collection"][1], "agent_id") == "a2");
  CHECK(rec->agent("a3").creates.size() == 1); // the healthy agent was still asked
  for (auto a : {"a1", "a2", "a3"})
    CHECK(rec->agent(a).destroys == 0);
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-018 image not found in config") {
  add_agent("a1");
  auto session =
      make_session("s1", {make_kernel("k1", "a1"), make_kernel("k2", "a1", cluster_role::sub, 1)});
  auto o = outcome(start({session}, {}), "s1");
  CHECK(o.error == "invalid_argument");
  CHECK(o.message.find(python_image) != std::string::npos);
  CHECK(logs.count(spdlog::level::err, "Image configuration not found") == 1);
  auto infos = rec->error_infos();
  REQUIRE(infos.size() == 1);
  CHECK(field(parse_json(infos[0].second)["error"], "name") == "ValueError");
  CHECK(rec->agents_contacted() == 0); // no network, no kernels
}

TEST_CASE_FIXTURE(launcher_fixture,
                  "launcher: stopping the launcher stops sessions still starting") {
  agent_script silent;
  silent.create_delay = 60s; // answers long after the test is over
  add_agent("a1", silent);
  auto l = launcher();
  caf::scoped_actor self{*sys};
  self->send(l, op::start_sessions{
                    {make_session("s1", {make_kernel("k1", "a1")})}, test::image_configs(), {}});
  REQUIRE(eventually([&] { return !rec->agent("a1").creates.empty(); }));
  REQUIRE(rec->agent("a1").creates.size() == 1);
  // The starter now waits on a1; stopping the launcher must stop it too, or the actor system
  // would wait for it forever when the fixture shuts down (this test would hang).
  caf::anon_send_exit(l, caf::exit_reason::user_shutdown);
  self->wait_for(l);
}
