// The manager's HTTP API over a real socket with real agents on the private Docker engine:
// every kernel route of the contract against a running container, owner-only access, and the
// agent-level purge.

#include <doctest/doctest.h>

#include "support/api_cluster_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// Runs `code` and follows "continued" answers until the run ends; answers the last reply.
api_answer run_code(const api_client& who, const std::string& id, const std::string& code,
                    std::string* out = nullptr) {
  auto res =
      who.post("/v1/sessions/" + id + "/execute", R"({"mode":"query","code":")" + code + "\"}");
  if (out)
    *out += stdout_of(res);
  while (res.status == 200 && res.str("status") == "continued") {
    res = who.post("/v1/sessions/" + id + "/execute",
                   R"({"mode":"continue","code":"","run_id":")" + res.str("run_id") + "\"}");
    if (out)
      *out += stdout_of(res);
  }
  return res;
}

std::string all_stdout(const api_client& who, const std::string& id, const std::string& code) {
  std::string out;
  run_code(who, id, code, &out);
  return out;
}

void check_error(const api_answer& res, int status, const std::string& code) {
  CHECK_MESSAGE(res.status == status, res.body);
  CHECK(res.str("error") == code);
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture, "http api sessions: a session is created on a real agent, "
                                       "runs code, takes and gives files, and is deleted") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto created = alice.post("/v1/sessions", R"({"name":"api-e2e","image":")" + image +
                                                R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(wait_status(alice, id, "RUNNING") == "RUNNING");
  auto shown = alice.get("/v1/sessions/" + id);
  REQUIRE(shown.json["kernels"].Size() == 1);
  CHECK(std::string{shown.json["kernels"][0]["agent"].GetString()} == agent);
  CHECK(!std::string{shown.json["kernels"][0]["container_id"].GetString()}.empty());

  // execute
  auto ran = run_code(alice, id, "echo hi");
  REQUIRE_MESSAGE(ran.status == 200, ran.body);
  CHECK(ran.str("status") == "finished");
  CHECK(ran.json["exit_code"].GetInt() == 0);
  CHECK(all_stdout(alice, id, "echo hi") == "hi\n");
  auto failed = run_code(alice, id, "exit 3");
  CHECK(failed.json["exit_code"].GetInt() == 3);

  // files up and down
  auto up = alice.call("PUT", "/v1/sessions/" + id + "/files?path=%2Fhome%2Fwork%2Fup.txt",
                       "payload\n", "application/octet-stream");
  CHECK_MESSAGE(up.status == 200, up.body);
  CHECK(all_stdout(alice, id, "cat /home/work/up.txt") == "payload\n");
  auto listed = alice.get("/v1/sessions/" + id + "/files?path=.");
  REQUIRE_MESSAGE(listed.status == 200, listed.body);
  bool seen = false;
  for (auto& f : listed.json["files"].GetArray())
    seen = seen || std::string{f["filename"].GetString()} == "up.txt";
  CHECK(seen);
  auto single = alice.get("/v1/sessions/" + id + "/download-single?path=up.txt");
  CHECK(single.status == 200);
  CHECK(single.content_type == "application/octet-stream");
  CHECK(single.body == "payload\n");
  auto tar = alice.get("/v1/sessions/" + id + "/download?path=up.txt");
  CHECK(tar.status == 200);
  CHECK(tar.content_type == "application/x-tar");
  CHECK(tar.body.size() % 512 == 0);
  CHECK(tar.body.find("payload\n") != std::string::npos);
  auto outside = alice.get("/v1/sessions/" + id + "/download-single?path=%2Fetc%2Fpasswd");
  check_error(outside, 403, "permission_denied");
  CHECK(outside.str("message").find("outside /home/work") != std::string::npos);

  // another user sees nothing of it
  check_error(bob.get("/v1/sessions/" + id), 404, "not_found");
  check_error(bob.get("/v1/sessions/" + id + "/download-single?path=up.txt"), 404, "not_found");
  check_error(bob.call("PUT", "/v1/sessions/" + id + "/files?path=x", "x", "text/plain"), 404,
              "not_found");

  // logs, completions, interrupt, commit status
  auto logs = alice.get("/v1/sessions/" + id + "/logs");
  CHECK_MESSAGE(logs.status == 200, logs.body);
  CHECK(logs.json.HasMember("logs"));
  auto completion = alice.post("/v1/sessions/" + id + "/complete", R"({"text":"ech"})");
  CHECK_MESSAGE(completion.status == 200, completion.body);
  CHECK(completion.json["candidates"].IsArray());
  auto interrupted = alice.post("/v1/sessions/" + id + "/interrupt");
  CHECK_MESSAGE(interrupted.status == 200, interrupted.body);
  auto commit = alice.get("/v1/sessions/" + id + "/commit");
  CHECK_MESSAGE(commit.status == 200, commit.body);
  CHECK(commit.str("status") == "ready");

  // delete
  auto deleted = alice.del("/v1/sessions/" + id);
  CHECK_MESSAGE(deleted.status == 200, deleted.body);
  CHECK(wait_status(alice, id, "TERMINATED") == "TERMINATED");
  check_error(alice.post("/v1/sessions/" + id + "/execute", R"({"mode":"query","code":"id"})"), 400,
              "invalid_argument");
}

TEST_CASE_FIXTURE(api_cluster_fixture, "http api sessions: services and commit reach the kernel, "
                                       "purge answers one result per image") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto created =
      alice.post("/v1/sessions", R"({"image":")" + image + R"(","resources":{"mem":134217728}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(wait_status(alice, id, "RUNNING") == "RUNNING");

  // An unknown service is the agent's error, in the contract's error JSON.
  auto service = alice.post("/v1/sessions/" + id + "/services/no-such-service");
  CHECK(service.status >= 200);
  if (service.status != 200)
    CHECK(!service.str("error").empty());
  else
    CHECK(!service.str("status").empty());
  auto stopped = alice.del("/v1/sessions/" + id + "/services/no-such-service");
  CHECK((stopped.status == 200 || !stopped.str("error").empty()));

  auto tag = "baikal-test/committed:" + std::to_string(::getpid());
  auto committed =
      alice.post("/v1/sessions/" + id + "/commit", R"({"canonical":")" + tag + R"("})");
  CHECK_MESSAGE(committed.status == 200, committed.body);
  CHECK(alice.get("/v1/sessions/" + id + "/commit").str("status") == "ready");

  auto purge = alice.post("/v1/agents/" + agent + "/images/purge",
                          R"({"images":[")" + tag + R"(","baikal-test/never-there:0"]})");
  REQUIRE_MESSAGE(purge.status == 200, purge.body);
  REQUIRE(purge.json["results"].Size() == 2);
  CHECK(std::string{purge.json["results"][0]["image"].GetString()} == tag);
  CHECK(purge.json["results"][0]["error"].IsNull());
  CHECK(purge.json["results"][1]["error"].IsString());

  CHECK(alice.del("/v1/sessions/" + id).status == 200);
  CHECK(wait_status(alice, id, "TERMINATED") == "TERMINATED");
}

// The session stays RUNNING through the restart's kernel_terminated (restarting) event and
// takes the new container from the kernel_started event that follows.
TEST_CASE_FIXTURE(api_cluster_fixture,
                  "http api sessions: restart recreates the main kernel's container with its "
                  "BACKENDAI_* variables and hostname") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto created =
      alice.post("/v1/sessions", R"({"image":")" + image + R"(","resources":{"mem":134217728}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(wait_status(alice, id, "RUNNING") == "RUNNING");
  check_error(bob.post("/v1/sessions/" + id + "/restart"), 404, "not_found");
  auto before = alice.get("/v1/sessions/" + id);
  const std::string identity =
      "echo $BACKENDAI_SESSION_ID $BACKENDAI_CLUSTER_ROLE $BACKENDAI_CLUSTER_HOST $(hostname)";
  auto identity_before = all_stdout(alice, id, identity);
  CHECK(identity_before.rfind(id + " main ", 0) == 0);
  auto restarted = alice.post("/v1/sessions/" + id + "/restart");
  CHECK_MESSAGE(restarted.status == 200, restarted.body);
  CHECK(!restarted.str("container_id").empty());
  CHECK(restarted.str("container_id") !=
        std::string{before.json["kernels"][0]["container_id"].GetString()});
  CHECK(wait_status(alice, id, "RUNNING") == "RUNNING");
  CHECK(all_stdout(alice, id, "echo again") == "again\n");
  // The same kernel as before: its cluster variables and hostname came back with it.
  CHECK(all_stdout(alice, id, identity) == identity_before);
  alice.del("/v1/sessions/" + id);
  wait_status(alice, id, "TERMINATED");
  // Only a RUNNING session's kernel is restarted.
  auto ended = alice.post("/v1/sessions/" + id + "/restart");
  check_error(ended, 409, "conflict");
  CHECK(ended.str("message").find("TERMINATED") != std::string::npos);
}
