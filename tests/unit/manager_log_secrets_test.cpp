// Bearer tokens are secrets: a real baikal-manager logging at its most verbose level, called
// with a right and a wrong token in every way a client sends one, writes neither to its log.

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/api_client.hpp"
#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* right_token = "right-token-5f0c1e7a9b2d";
constexpr const char* wrong_token = "wrong-token-8e4a2c6b0d1f";

std::string write_config(const std::filesystem::path& dir) {
  auto path = (dir / "manager.toml").string();
  std::ofstream{path} << "[manager]\nstore-path = \"" << (dir / "manager.db").string() << "\"\n"
                      << "[api]\nlisten = { host = \"127.0.0.1\", port = 0 }\n"
                      << "[agents]\nlisten = { host = \"127.0.0.1\", port = 0 }\n"
                      << "[[users]]\nname = \"alice\"\nuuid = \"u-alice\"\ntoken = \""
                      << right_token << "\"\n";
  return path;
}

uint16_t api_port_of(const std::filesystem::path& port_file) {
  std::ifstream in{port_file};
  int api = 0;
  in >> api;
  return static_cast<uint16_t>(api);
}

} // namespace

TEST_CASE("manager log: neither a right nor a wrong bearer token reaches the manager's log") {
  temp_dir dir{"baikal-log-secrets"};
  auto port_file = dir.path / "manager.ports";
  ::setenv("BAIKAL_LOG_LEVEL", "trace", 1);
  child_process manager{
      {BAIKAL_MANAGER_PATH, "--config", write_config(dir.path), "--port-file", port_file.string()},
      (dir.path / "manager.log").string()};
  ::unsetenv("BAIKAL_LOG_LEVEL");
  REQUIRE_MESSAGE(eventually([&] { return api_port_of(port_file) != 0; }, 60s), manager.output());
  auto port = api_port_of(port_file);
  api_client right{port, right_token};
  api_client wrong{port, wrong_token};

  CHECK(right.get("/v1/sessions").status == 200);
  CHECK(wrong.get("/v1/sessions").status == 401);
  auto created = right.post("/v1/sessions", R"({"name":"s","image":"busybox:1"})");
  CHECK_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  CHECK(right.get("/v1/sessions/" + id).status == 200);
  CHECK(wrong.get("/v1/sessions/" + id).status == 401);
  CHECK(wrong.post("/v1/sessions/" + id + "/execute", R"({"mode":"query","code":"id"})").status ==
        401);
  CHECK(right.get("/v1/sessions/" + id + "/logs").status >= 400); // not RUNNING: no agent
  // Other ways a token travels: another scheme, a query string, a body, a bad path.
  api_client basic{port, ""};
  auto client = http::blocking_client::make("http://127.0.0.1:" + std::to_string(port));
  REQUIRE(client);
  http::client_request req;
  req.target = std::string{"/v1/agents?token="} + wrong_token;
  req.headers["Authorization"] = std::string{"Basic "} + right_token;
  auto answer = client->send(req);
  REQUIRE(answer);
  CHECK(answer->status == 401);
  CHECK(right.post("/v1/sessions", std::string{R"({"name":")"} + wrong_token + "!!\"}").status ==
        400);
  CHECK(right.get(std::string{"/v1/no-route/"} + wrong_token).status == 404);
  CHECK(right.del("/v1/sessions/" + id).status == 200);

  CHECK(manager.stop(SIGTERM) == 0);
  auto log = manager.output();
  CHECK_MESSAGE(log.find("the API serves on") != std::string::npos, log);
  CHECK(log.find(right_token) == std::string::npos);
  CHECK(log.find(wrong_token) == std::string::npos);
}
