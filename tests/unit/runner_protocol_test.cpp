#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "messages/errors.hpp"
#include "runtime/runner/runner_protocol.hpp"

using namespace baikal;
using namespace baikal::runner;

TEST_CASE("runner protocol: execute request carries mode, code, flush timeout and opts") {
  execute_request req;
  req.mode = execution_mode::batch;
  req.code = "echo \"hi\"";
  req.exec_timeout = 2.5;
  req.build = "make";
  rapidjson::Document doc;
  doc.Parse(make_execute_request(7, req).c_str());
  REQUIRE(doc.IsObject());
  CHECK(std::string(doc["op"].GetString()) == "execute");
  CHECK(doc["id"].GetUint64() == 7);
  CHECK(std::string(doc["mode"].GetString()) == "batch");
  CHECK(std::string(doc["code"].GetString()) == "echo \"hi\"");
  CHECK(doc["flush_timeout"].GetDouble() == doctest::Approx(1.0));
  CHECK(doc["opts"]["exec_timeout"].GetDouble() == doctest::Approx(2.5));
  CHECK(std::string(doc["opts"]["build"].GetString()) == "make");
  CHECK_FALSE(doc.HasMember("run_id"));
  CHECK(response_id(make_execute_request(7, req)) == 7u);
}

TEST_CASE("runner protocol: an execution result parses into execution_result") {
  auto res = parse_execution_result(
      R"({"id":1,"run_id":"r1","status":"finished","console":[{"stream":"stdout","data":"hi\n"},)"
      R"({"stream":"stderr","data":"oops"}],"exit_code":3,"files":[]})");
  REQUIRE(res);
  CHECK(res->run_id == "r1");
  CHECK(res->status == "finished");
  REQUIRE(res->console.size() == 2);
  CHECK(res->console[0].stream == "stdout");
  CHECK(res->console[0].data == "hi\n");
  CHECK(res->console[1].stream == "stderr");
  REQUIRE(res->exit_code);
  CHECK(*res->exit_code == 3);
  auto continued = parse_execution_result(
      R"({"id":1,"run_id":"r1","status":"continued","console":[],"exit_code":null})");
  REQUIRE(continued);
  CHECK_FALSE(continued->exit_code);
}

TEST_CASE("runner protocol: runner errors become Baikal errors") {
  auto missing = parse_execution_result(R"({"id":1,"error":"not_found","message":"no run \"x\""})");
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::not_found);
  CHECK(message_of(missing.error()).find("no run") != std::string::npos);
  auto bad = parse_ok(R"({"id":null,"error":"invalid_json","message":"not JSON"})");
  REQUIRE_FALSE(bad);
  CHECK(code_of(bad.error()) == errc::invalid_argument);
  auto garbage = parse_health("not json at all");
  REQUIRE_FALSE(garbage);
  CHECK(code_of(garbage.error()) == errc::runtime_error);
}

TEST_CASE("runner protocol: service and completion answers parse") {
  auto started =
      parse_service_result(R"({"id":2,"status":"started","pid":42,"port":8080,"protocol":"http"})");
  REQUIRE(started);
  CHECK(started->status == "started");
  CHECK(started->info.at("port") == "8080");
  CHECK(started->info.at("protocol") == "http");
  auto failed = parse_service_result(R"({"id":2,"status":"failed","error":"unknown service x"})");
  REQUIRE(failed);
  CHECK(failed->error == "unknown service x");
  auto completions =
      parse_completion_result(R"({"id":3,"status":"finished","candidates":["a","b/"]})");
  REQUIRE(completions);
  CHECK(completions->candidates == std::vector<std::string>{"a", "b/"});
}
