// Every protocol type crosses nodes: one populated value of each goes through CAF's binary
// serializer, both as itself and inside a type-erased message (which needs the announcement),
// and comes back equal field by field (compared through CAF's inspector-driven rendering).

#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>

#include "messages/agent_interface.hpp"
#include "messages/announce.hpp"
#include "messages/launcher_interface.hpp"
#include "messages/manager_interface.hpp"

using namespace baikal;

namespace {

struct protocol_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  protocol_fixture() {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", 1);
    sys = std::make_unique<caf::actor_system>(cfg);
  }

  template <class T> void round_trip(T value) {
    const auto expected = caf::deep_to_string(value);
    CAPTURE(expected);
    // as a value
    std::vector<char> buf;
    caf::binary_serializer sink{*sys, buf};
    REQUIRE(!sink(value));
    T copy{};
    caf::binary_deserializer source{*sys, buf};
    REQUIRE(!source(copy));
    CHECK(caf::deep_to_string(copy) == expected);
    // inside a message, as it travels between nodes
    std::vector<char> msg_buf;
    caf::binary_serializer msg_sink{*sys, msg_buf};
    auto msg = caf::make_message(value);
    REQUIRE(!msg_sink(msg));
    caf::message received;
    caf::binary_deserializer msg_source{*sys, msg_buf};
    REQUIRE(!msg_source(received));
    REQUIRE(received.match_elements<T>());
    CHECK(caf::deep_to_string(received.get_as<T>(0)) == expected);
  }
};

image_registry sample_registry() {
  return {"127.0.0.1:5000", "http://127.0.0.1:5000", "alice", "s3cret"};
}

image_config sample_image_config() {
  image_config x;
  x.canonical = "127.0.0.1:5000/baikal-test/busybox:1";
  x.architecture = "x86_64";
  x.project = "baikal-test";
  x.digest = "sha256:aaaa";
  x.repo_digest = "sha256:bbbb";
  x.is_local = true;
  x.auto_pull = auto_pull_policy::tag;
  x.labels = {{"ai.backend.runtime-type", "shell"}};
  x.registry = sample_registry();
  return x;
}

image_ref sample_image_ref() {
  return {"busybox", "baikal-test", "1", "127.0.0.1:5000", "x86_64", true};
}

cluster_info sample_cluster_info() {
  cluster_info x;
  x.mode = cluster_mode::multi_node;
  x.size = 3;
  x.replicas = {{"main", 1}, {"sub", 2}};
  x.network = {"overlay", "bai-multinode-s1", {{"scope", "swarm"}}};
  x.ssh = {"-----BEGIN PRIVATE KEY-----", "ssh-rsa AAAA work@cluster.backend.ai.local"};
  x.ssh_port_mapping = {{"main1", {"10.0.0.1", 12345}}};
  return x;
}

kernel_creation_config sample_kernel_config() {
  kernel_creation_config x;
  x.image = sample_image_config();
  x.kernel = "k1";
  x.session = "s1";
  x.owner_user_id = "u1";
  x.owner_project_id = "p1";
  x.network_id = "n1";
  x.type = session_type::batch;
  x.mode = cluster_mode::multi_node;
  x.role = cluster_role::sub;
  x.cluster_idx = 2;
  x.local_rank = 1;
  x.cluster_hostname = "sub2";
  x.uid = 1001;
  x.main_gid = 1002;
  x.supplementary_gids = {10, 20};
  x.slots = {{"cpu", 0.5}, {"mem", 268435456}};
  x.resource_opts = {{"shmem", "64m"}};
  x.environ = {{"BACKENDAI_KERNEL_ID", "k1"}};
  x.mounts = {{"/data", "/home/work/data", "ro"}};
  x.package_directory = "/opt/pkg";
  x.idle_timeout = 600;
  x.bootstrap_script = "echo boot";
  x.startup_command = "echo start";
  x.preopen_ports = {8080};
  x.allocated_host_ports = {30000};
  x.agent_addr = "tcp://127.0.0.1:6001";
  x.scaling_group = "default";
  return x;
}

kernel_info sample_kernel_info() {
  kernel_info x;
  x.id = "k1";
  x.session = "s1";
  x.agent = "a1";
  x.host = "127.0.0.1";
  x.container_id = "c0ffee";
  x.scaling_group = "default";
  x.slots = {{"cpu", 1}};
  x.service_ports = {{"httpd", "http", {8080}, {30001}}};
  x.attached_devices = {{"gpu", "none"}};
  return x;
}

kernel_event_header sample_header() {
  return {"k1", "s1", "a1", lifecycle_reason::failed_to_create};
}

scheduled_session sample_session() {
  scheduled_session x;
  x.id = "s1";
  x.name = "train";
  x.user_uuid = "u1";
  x.access_key = "AKIA";
  x.project_id = "p1";
  x.type = session_type::batch;
  x.mode = cluster_mode::multi_node;
  x.cluster_size = 2;
  x.network = network_type::host;
  x.network_id = "n1";
  x.environ = {{"A", "1"}};
  x.mounts = {{"/data", "/home/work/data", "rw"}};
  x.preopen_ports = {8000};
  x.idle_timeout = 30;
  x.scaling_group = "default";
  x.kernels = {{"k1",
                "a1",
                "tcp://a1:6001",
                "img",
                "x86_64",
                cluster_role::main,
                1,
                0,
                "main1",
                {{"cpu", 1}},
                1000,
                1000}};
  return x;
}

} // namespace

TEST_CASE_FIXTURE(protocol_fixture, "protocol: every value type round-trips") {
  round_trip(sample_registry());
  round_trip(sample_image_config());
  round_trip(sample_image_ref());
  round_trip(purge_images_req{{"a:1", "b:2"}, true, true});
  round_trip(purge_image_result{"a:1", std::string{"No such image: a:1"}});
  round_trip(purge_images_resp{{{"a:1", caf::none}, {"b:2", std::string{"conflict"}}}});
  round_trip(mount_spec{"/src", "/dst", "ro"});
  round_trip(network_config{"bridge", "bai-singlenode-s1", {{"k", "v"}}});
  round_trip(ssh_keypair{"priv", "pub"});
  round_trip(host_port{"h", 22});
  round_trip(sample_cluster_info());
  round_trip(sample_kernel_config());
  round_trip(service_port{"httpd", "http", {8080}, {30001}});
  round_trip(sample_kernel_info());
  round_trip(console_item{"stderr", "oops"});
  round_trip(execution_result{"r1", "finished", {{"stdout", "hi\n"}}, 3, {}});
  round_trip(completion_result{"finished", {"abc", "abd"}});
  round_trip(service_result{"started", "", {{"port", "8080"}}});
  round_trip(kernel_logs{"line\n"});
  round_trip(file_entry{"a.txt", "file", 12, "-rw-r--r--", "1700000000"});
  round_trip(file_listing{"[]", "", "/home/work"});
  round_trip(file_bytes{std::string("\0\1\2", 3)});
  round_trip(upload_ticket{7});
  round_trip(download_ticket{9, 3, std::string("\0\1\2", 3)});
  round_trip(hardware_metadata{"healthy", "", {{"cores", "2"}}});
  round_trip(hardware_info{{{"cpu", {"healthy", "", {{"cores", "2"}}}}}});
  round_trip(kernel_ping{std::map<std::string, double>{{"rtt", 0.001}}});
  round_trip(ack{});
  round_trip(kernel_session{"k1", "s1"});
  round_trip(pull_jobs{{{"img", "job-1"}}});
  round_trip(created_kernels{{sample_kernel_info()}});
  round_trip(assigned_port{31000});
  round_trip(commit_state{commit_status::ongoing});
  round_trip(probe_result{true, "pulling"});
  round_trip(sample_session().kernels.front());
  round_trip(sample_session());
  round_trip(session_start_outcome{
      "s1", "timeout", "took too long", {{"a1", errc::timeout, "no answer within 30 s"}}});
  round_trip(start_sessions_report{{{"s1", "", "", {}}}});
  round_trip(identity_proof{"-----BEGIN CERTIFICATE-----\n", "c1", std::string("\0\1sig", 5)});
  round_trip(registration_challenge{"c1"});
  round_trip(op::get_registration_challenge{"a1"});
}

TEST_CASE_FIXTURE(protocol_fixture, "protocol: every event round-trips") {
  round_trip(sample_header());
  round_trip(kernel_preparing_event{sample_header()});
  round_trip(kernel_pulling_event{sample_header()});
  round_trip(kernel_creating_event{sample_header()});
  round_trip(kernel_started_event{sample_header(), sample_kernel_info()});
  round_trip(kernel_terminated_event{sample_header(), 137});
  round_trip(do_agent_resource_check_event{"a1"});
  round_trip(agent_terminated_event{"a1", "shutdown"});
  round_trip(image_pull_event{image_pull_event::phase::progress, "a1", "img", "job-1",
                              "Downloading", 10, 100, 1700000000000});
  round_trip(execution_event{execution_event::phase::timeout, "s1", "k1"});
  round_trip(batch_result_event{sample_header(), batch_outcome::finished, 3, "out\nerr\n"});
  round_trip(batch_result_event{sample_header(), batch_outcome::timeout, caf::none, ""});
}

TEST_CASE_FIXTURE(protocol_fixture, "protocol: every agent and launcher operation round-trips") {
  round_trip(op::update_scaling_group{"gpu"});
  round_trip(op::ping{"hello"});
  round_trip(op::gather_hwinfo{false});
  round_trip(op::ping_kernel{"k1"});
  round_trip(op::sync_kernel_registry{{{"k1", "s1"}, {"k2", "s1"}}});
  round_trip(op::shutdown{15});
  round_trip(op::create_kernels{
      "s1", {"k1"}, {sample_kernel_config()}, sample_cluster_info(), {{"k1", sample_image_ref()}}});
  round_trip(op::destroy_kernel{"k1", "s1", lifecycle_reason::user_requested, true});
  round_trip(op::restart_kernel{"k1", "s1", sample_image_ref(), sample_kernel_config()});
  round_trip(op::interrupt_kernel{"k1"});
  round_trip(op::get_completions{"k1", "ec", {{"row", "0"}}});
  round_trip(op::get_logs{"k1"});
  round_trip(op::execute{"s1", "k1", 4, "r1", execution_mode::query, "echo hi", {{"x", "y"}}, 0.5});
  round_trip(op::trigger_batch_execution{"s1", "k1", "make", 10});
  round_trip(op::start_service{"k1", "httpd", {{"port", "8080"}}});
  round_trip(op::shutdown_service{"k1", "httpd"});
  round_trip(op::accept_file{"k1", "/home/work/a", "data"});
  round_trip(op::download_file{"k1", "/home/work/a"});
  round_trip(op::download_single{"k1", "/home/work/a"});
  round_trip(op::list_files{"k1", "/home/work"});
  round_trip(op::open_upload{"k1", "/home/work/big.bin", uint64_t{5} << 30});
  round_trip(op::upload_chunk{"k1", 7, uint64_t{1} << 32, std::string("\0\1\2", 3)});
  round_trip(op::finish_upload{"k1", 7, uint64_t{5} << 30});
  round_trip(op::abort_upload{"k1", 7});
  round_trip(op::open_download{"k1", "/home/work/a", 65536});
  round_trip(op::read_download{"k1", 9, 1048576, 65536});
  round_trip(op::close_download{"k1", 9});
  round_trip(op::check_and_pull{{{"img", sample_image_config()}}});
  round_trip(op::get_commit_status{"k1", "sub"});
  round_trip(op::commit{"k1", "sub", std::string{"img:1"}, std::string{"f.tar.gz"}, {{"a", "b"}}});
  round_trip(op::push_image{sample_image_ref(), sample_registry(), 0.01});
  round_trip(op::purge_images{{{"a:1"}, false, true}});
  round_trip(op::create_local_network{"bai-singlenode-s1"});
  round_trip(op::destroy_local_network{"bai-singlenode-s1"});
  round_trip(op::assign_port{});
  round_trip(op::release_port{31000});
  round_trip(op::check_pulling{"img"});
  round_trip(op::check_creating{"k1"});
  round_trip(op::check_running{"k1"});
  round_trip(op::trigger_image_pulling{{sample_session()}, {{"img", sample_image_config()}}});
  round_trip(op::start_sessions{{sample_session()}, {{"img", sample_image_config()}}, {}});
  round_trip(op::update_agent_directory{{}, {"a1", "a2"}});
}
