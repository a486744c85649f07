// Request builders and response parsers of runtime/docker/: no engine needed.

#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/encoding.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/networks.hpp"
#include "runtime/docker/system.hpp"

using namespace baikal;
using namespace baikal::docker;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

} // namespace

TEST_CASE("docker: X-Registry-Auth is URL-safe base64 with padding") {
  // 'username' of "?>?" makes the standard alphabet produce '/' and '+'.
  registry_credentials creds{"?>?", "p", "127.0.0.1:5000"};
  auto header = registry_auth_header(creds);
  CHECK(header.find('+') == std::string::npos);
  CHECK(header.find('/') == std::string::npos);
  CHECK(header.size() % 4 == 0);
  auto decoded = base64_decode(header);
  REQUIRE(decoded);
  CHECK(*decoded == R"({"username":"?>?","password":"p","serveraddress":"127.0.0.1:5000"})");
  CHECK(base64_encode("a", true) == "YQ==");
  CHECK(base64_encode("ab", false) == "YWI=");
  CHECK(base64_encode("\xfb\xff", false) == "+/8=");
  CHECK(base64_encode("\xfb\xff", true) == "-_8=");
}

TEST_CASE("docker: references split at the tag, not at the registry port") {
  auto a = split_reference("127.0.0.1:5000/baikal-test/busybox:1");
  CHECK(a.repository == "127.0.0.1:5000/baikal-test/busybox");
  CHECK(a.tag == "1");
  auto b = split_reference("127.0.0.1:5000/busybox");
  CHECK(b.repository == "127.0.0.1:5000/busybox");
  CHECK(b.tag == "latest");
  auto c = split_reference("repo@sha256:abc");
  CHECK(c.repository == "repo");
  CHECK(c.digest == "sha256:abc");
}

TEST_CASE("docker: image requests target the documented routes") {
  auto pull = image_pull("127.0.0.1:5000/a/b:1", std::nullopt);
  CHECK(pull.method == "POST");
  CHECK(pull.target == "/images/create?fromImage=127.0.0.1%3A5000%2Fa%2Fb&tag=1");
  CHECK(pull.long_running);
  CHECK(pull.headers.count("X-Registry-Auth") == 0);
  auto push = image_push("127.0.0.1:5000/a/b:1", {});
  CHECK(push.target == "/images/127.0.0.1:5000/a/b/push?tag=1");
  CHECK(push.headers.count("X-Registry-Auth") == 1);
  CHECK(image_tag("x:1", "127.0.0.1:5000/x:2").target ==
        "/images/x:1/tag?repo=127.0.0.1%3A5000%2Fx&tag=2");
  auto del = image_delete("x:1", true, false);
  CHECK(del.method == "DELETE");
  CHECK(del.target == "/images/x:1?force=true&noprune=false");
  CHECK(image_export("x:1").target == "/images/x:1/get");
  auto imp = image_import("TAR", "r/x:1", {"CMD [\"sh\"]"});
  CHECK(imp.target == "/images/create?fromSrc=-&repo=r%2Fx&tag=1&changes=CMD%20%5B%22sh%22%5D");
  CHECK(imp.content_type == "application/x-tar");
}

TEST_CASE("docker: commit carries repo, tag, comment, author and labels") {
  commit_spec spec;
  spec.container = "c1";
  spec.ref = "snap/x:v1";
  spec.comment = "a b";
  spec.author = "me";
  spec.labels = {{"k", "v"}};
  auto c = container_commit(spec);
  CHECK(c.target == "/commit?container=c1&repo=snap%2Fx&tag=v1&comment=a%20b&author=me");
  CHECK(c.content_type == "application/json");
  auto doc = parse(c.body);
  CHECK(std::string{doc["Labels"]["k"].GetString()} == "v");
  CHECK_FALSE(doc.HasMember("Cmd"));
}

TEST_CASE("docker: container create body holds every field the agent sets") {
  container_spec spec;
  spec.name = "k1";
  spec.image = "img:1";
  spec.cmd = {"sleep", "3600"};
  spec.entrypoint = std::vector<std::string>{"/init"};
  spec.env = {"A=1"};
  spec.labels = {{"ai.backend.kernel", "1"}};
  spec.working_dir = "/home/work";
  spec.user = "1000:1000";
  spec.binds = {"/h:/home/work:rw"};
  spec.network_mode = "net1";
  spec.nano_cpus = 500000000;
  spec.memory = 64 << 20;
  spec.init = true;
  spec.pids_limit = 512;
  spec.ulimits = {{"nofile", 1024, 2048}};
  spec.cap_drop = {"ALL"};
  spec.cap_add = {"SETUID", "SETGID"};
  spec.security_opt = {"no-new-privileges"};
  auto c = container_create(spec);
  CHECK(c.target == "/containers/create?name=k1");
  auto doc = parse(c.body);
  CHECK(std::string{doc["Image"].GetString()} == "img:1");
  CHECK(doc["Cmd"].Size() == 2);
  CHECK(std::string{doc["Entrypoint"][0].GetString()} == "/init");
  CHECK(std::string{doc["Env"][0].GetString()} == "A=1");
  CHECK(std::string{doc["Labels"]["ai.backend.kernel"].GetString()} == "1");
  CHECK(std::string{doc["WorkingDir"].GetString()} == "/home/work");
  CHECK(std::string{doc["User"].GetString()} == "1000:1000");
  auto& host = doc["HostConfig"];
  CHECK(std::string{host["Binds"][0].GetString()} == "/h:/home/work:rw");
  CHECK(std::string{host["NetworkMode"].GetString()} == "net1");
  CHECK(host["NanoCpus"].GetInt64() == 500000000);
  CHECK(host["Memory"].GetInt64() == 64 << 20);
  CHECK(host["MemorySwap"].GetInt64() == 64 << 20);
  CHECK(host["Init"].GetBool());
  CHECK(host["PidsLimit"].GetInt64() == 512);
  REQUIRE(host["Ulimits"].Size() == 1);
  CHECK(std::string{host["Ulimits"][0]["Name"].GetString()} == "nofile");
  CHECK(host["Ulimits"][0]["Soft"].GetInt64() == 1024);
  CHECK(host["Ulimits"][0]["Hard"].GetInt64() == 2048);
  CHECK(std::string{host["CapDrop"][0].GetString()} == "ALL");
  CHECK(host["CapAdd"].Size() == 2);
  CHECK(std::string{host["SecurityOpt"][0].GetString()} == "no-new-privileges");
}

TEST_CASE("docker: a container create body without limits leaves the engine's defaults") {
  container_spec spec;
  spec.image = "img:1";
  auto doc = parse(container_create(spec).body);
  auto& host = doc["HostConfig"];
  for (auto key : {"PidsLimit", "Ulimits", "CapDrop", "CapAdd", "SecurityOpt"})
    CHECK_MESSAGE(!host.HasMember(key), key);
}

TEST_CASE("docker: container lifecycle, logs, wait, archive and exec routes") {
  CHECK(container_start("c").target == "/containers/c/start");
  CHECK(container_stop("c", 1).target == "/containers/c/stop?t=1");
  CHECK(container_kill("c", "SIGKILL").target == "/containers/c/kill?signal=SIGKILL");
  CHECK(container_remove("c", true, true).target == "/containers/c?force=true&v=true");
  log_options opts;
  opts.tail = "10";
  CHECK(container_logs("c", opts).target == "/containers/c/logs?stdout=1&stderr=1&tail=10");
  auto wait = container_wait("c", "next-exit");
  CHECK(wait.target == "/containers/c/wait?condition=next-exit");
  CHECK(wait.long_running);
  CHECK(archive_get("c", "/home/work/a b").target ==
        "/containers/c/archive?path=%2Fhome%2Fwork%2Fa%20b");
  CHECK(archive_stat("c", "/x").method == "HEAD");
  CHECK(archive_put("c", "/home/work", "T").method == "PUT");
  auto exec = exec_create("c", {{"echo", "hi"}, {}, "/tmp", "", false});
  auto doc = parse(exec.body);
  CHECK(doc["AttachStdout"].GetBool());
  CHECK(std::string{doc["WorkingDir"].GetString()} == "/tmp");
  CHECK(exec_start("e1", false).body == R"({"Detach":false,"Tty":false})");
}

TEST_CASE("docker: network create always checks duplicates and keeps labels") {
  network_spec spec;
  spec.name = "bai-singlenode-1";
  spec.labels = {{"ai.backend.cluster-network", "1"}};
  spec.attachable = true;
  auto c = network_create(spec);
  auto doc = parse(c.body);
  CHECK(std::string{doc["Driver"].GetString()} == "bridge");
  CHECK(doc["CheckDuplicate"].GetBool());
  CHECK(doc["Attachable"].GetBool());
  CHECK(std::string{doc["Labels"]["ai.backend.cluster-network"].GetString()} == "1");
  CHECK_FALSE(doc.HasMember("Options"));
  spec.options = {{"com.docker.network.bridge.enable_icc", "false"}};
  auto with_options = parse(network_create(spec).body);
  CHECK(std::string{with_options["Options"]["com.docker.network.bridge.enable_icc"].GetString()} ==
        "false");
  CHECK(network_delete("a b").target == "/networks/a%20b");
  CHECK(network_list({{"label", {"x=1"}}}).target ==
        "/networks?filters=%7B%22label%22%3A%5B%22x%3D1%22%5D%7D");
}

TEST_CASE("docker: event filters are JSON arrays") {
  CHECK(filters_json({{"type", {"container"}}, {"event", {"die", "oom"}}}) ==
        R"({"event":["die","oom"],"type":["container"]})");
  auto c = events({{"type", {"container"}}}, "10");
  CHECK(c.target == "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D&since=10");
  CHECK(c.long_running);
}

TEST_CASE("docker: parsers read inspect, delete, wait, exec, network and event answers") {
  auto img = parse_image_info(
      R"({"Id":"sha256:1","RepoTags":["a:1"],"RepoDigests":["r/a@sha256:9"],"Size":5,)"
      R"("Config":{"Labels":{"k":"v"}}})");
  REQUIRE(img);
  CHECK(img->id == "sha256:1");
  CHECK(img->labels.at("k") == "v");
  CHECK(repo_digest_of(*img, "r/a") == "sha256:9");
  CHECK(repo_digest_of(*img, "r") == "");
  auto del = parse_image_delete(R"([{"Untagged":"a:1"},{"Deleted":"sha256:1"}])");
  REQUIRE(del);
  CHECK(*del == std::vector<std::string>{"Untagged: a:1", "Deleted: sha256:1"});
  CHECK(*parse_wait(R"({"Error":null,"StatusCode":3})") == 3);
  auto ct = parse_container_info(
      R"({"Id":"c1","Name":"/n","State":{"Status":"exited","Running":false,"ExitCode":143},)"
      R"("Config":{"Labels":null},"NetworkSettings":{"Networks":{"bridge":{}}}})");
  REQUIRE(ct);
  CHECK(ct->name == "n");
  CHECK(ct->exit_code == 143);
  CHECK(ct->networks == std::vector<std::string>{"bridge"});
  CHECK(parse_exec_info(R"({"Running":false,"ExitCode":7})")->exit_code == 7);
  auto nets = parse_network_list(R"([{"Id":"n1","Name":"a","Driver":"bridge","Labels":{}}])");
  REQUIRE(nets);
  CHECK(nets->at(0).driver == "bridge");
  auto net = parse_network_info(
      R"({"Id":"0123456789abcdef","Name":"n","Driver":"bridge","Options":)"
      R"({"com.docker.network.bridge.enable_icc":"false"},)"
      R"("IPAM":{"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]}})");
  REQUIRE(net);
  CHECK(net->gateway == "172.18.0.1");
  CHECK(isolates_containers(*net));
  auto ev = parse_event(R"({"Type":"container","Action":"die","Actor":{"ID":"c1",)"
                        R"("Attributes":{"exitCode":"4"}},"timeNano":12})");
  REQUIRE(ev);
  CHECK(ev->action == "die");
  CHECK(ev->attributes.at("exitCode") == "4");
  CHECK_FALSE(parse_id("not json"));
}

TEST_CASE("docker: a bridge network's host device is its bridge.name option, else br-<id12>") {
  network_info net;
  net.id = "0123456789abcdef0123";
  net.driver = "bridge";
  CHECK(bridge_device_of(net) == "br-0123456789ab");
  CHECK_FALSE(isolates_containers(net));
  net.options = {{"com.docker.network.bridge.name", "docker0"},
                 {"com.docker.network.bridge.enable_icc", "true"}};
  CHECK(bridge_device_of(net) == "docker0");
  CHECK_FALSE(isolates_containers(net));
  net.driver = "overlay";
  CHECK(bridge_device_of(net).empty());
}

TEST_CASE("docker: the path-stat header decodes a Go FileMode") {
  auto header = base64_encode(
      R"({"name":"work","size":4096,"mode":2147484141,"mtime":"2024-01-01T00:00:00Z",)"
      R"("linkTarget":""})",
      false);
  auto st = decode_path_stat(header);
  REQUIRE(st);
  CHECK(st->name == "work");
  CHECK(st->size == 4096);
  CHECK(st->is_dir());
  CHECK((st->mode & 0777) == 0755);
  CHECK_FALSE(decode_path_stat("***"));
}
