// The kernel runner's reading of a request frame (tools/baikal-kernel-runner/request.hpp),
// without a runner process. The last cases are the fuzzer's finds (tests/fuzz/corpus/
// runner_requests/regression_*).

#include <doctest/doctest.h>

#include <chrono>

#include "tools/baikal-kernel-runner/request.hpp"

using namespace baikal::kernel_runner;

TEST_CASE("runner request: the fields of an execute are read, opts included") {
  auto req = parse_request(R"({"op":"execute","id":7,"mode":"batch","code":"c","run_id":"r",)"
                           R"("flush_timeout":2.5,"opts":{"build":"make","exec":"./a",)"
                           R"("exec_timeout":10}})");
  REQUIRE(req);
  CHECK(req->id_json == "7");
  CHECK(req->op == "execute");
  CHECK(req->mode == "batch");
  CHECK(req->code == "c");
  CHECK(req->run_id == "r");
  CHECK(req->flush_timeout == 2.5);
  CHECK(req->build == "make");
  CHECK(req->exec == "./a");
  REQUIRE(req->exec_timeout);
  CHECK(*req->exec_timeout == 10);
  CHECK_FALSE(req->port);
  CHECK_FALSE(req->bad_port);
}

TEST_CASE("runner request: the id is kept as its JSON text, null when absent") {
  CHECK(parse_request(R"({"op":"health","id":{"a":[1,"x"]}})")->id_json == R"({"a":[1,"x"]})");
  CHECK(parse_request(R"({"op":"health"})")->id_json == "null");
}

TEST_CASE("runner request: a frame that is not a JSON object is no request") {
  CHECK_FALSE(parse_request("{not json"));
  CHECK_FALSE(parse_request("[1,2]"));
  CHECK_FALSE(parse_request(""));
}

TEST_CASE("runner request: fields of the wrong type count as absent") {
  auto req = parse_request(R"({"op":1,"mode":[],"opts":{"exec_timeout":"10","port":"80"}})");
  REQUIRE(req);
  CHECK(req->op.empty());
  CHECK(req->mode.empty());
  CHECK_FALSE(req->exec_timeout);
  CHECK_FALSE(req->port);
  CHECK_FALSE(req->bad_port);
}

TEST_CASE("runner request: flush_timeout is kept within 0 to 600 seconds") {
  CHECK(parse_request(R"({"flush_timeout":-3})")->flush_timeout == 0);
  CHECK(parse_request(R"({"flush_timeout":1e9})")->flush_timeout == max_flush_timeout);
  CHECK(parse_request(R"({})")->flush_timeout == 1.0);
}

TEST_CASE("runner request: an exec_timeout past what the clock holds is cut to a year") {
  // Found by fuzz_runner_requests: 1e300 seconds overflowed the deadline's conversion to
  // nanoseconds (undefined), which in practice put the deadline in the past.
  auto req = parse_request(R"({"op":"execute","id":"a","mode":"batch","opts":{"build":"make",)"
                           R"("exec":"./a","exec_timeout":1e300}})");
  REQUIRE(req);
  REQUIRE(req->exec_timeout);
  CHECK(*req->exec_timeout == max_exec_timeout);
  auto now = std::chrono::steady_clock::now();
  CHECK(after_seconds(now, *req->exec_timeout) > now + std::chrono::hours(24 * 364));
}

TEST_CASE("runner request: a port that is not a whole number from 1 to 65535 is refused") {
  // Found by fuzz_runner_requests: {"opts":{"port":80801}} was taken as a port, and a port
  // beyond int's range was an undefined conversion.
  for (auto port : {"80801", "0", "-1", "1e300", "80.5"}) {
    auto req = parse_request(std::string{R"({"op":"start_service","opts":{"port":)"} + port + "}}");
    REQUIRE(req);
    CHECK_MESSAGE(req->bad_port, port);
    CHECK_FALSE(req->port);
  }
  auto ok = parse_request(R"({"op":"start_service","opts":{"port":65535}})");
  REQUIRE(ok->port);
  CHECK(*ok->port == 65535);
}
