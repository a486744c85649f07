// An execute request turned into the runner's typed request, every field checked: the
// exec_timeout that once reached std::stod ("abc") is an invalid_argument naming
// opts.exec_timeout and its range, as is every other malformed field.

#include <doctest/doctest.h>

#include <cmath>

#include "messages/errors.hpp"
#include "runtime/runner/execute_checks.hpp"
#include "support/refusals.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::runner;
using baikal::test::refused;
using baikal::test::why;

namespace {

op::execute query(std::string code, std::map<std::string, std::string> opts = {}) {
  return op::execute{"s1", "k1", 4, "", execution_mode::query, std::move(code), std::move(opts),
                     2.0};
}

} // namespace

TEST_CASE("execute checks: a malformed exec_timeout is invalid_argument naming the field and "
          "its range") {
  for (auto bad :
       {"abc", "", "-1", "inf", "nan", "1e400", "0x10", " 5", "5s", "true", "2592001", "1e7"}) {
    auto text = refused(to_runner_request(query("echo x", {{"exec_timeout", bad}}), {}));
    CHECK_MESSAGE(text.find("opts.exec_timeout must be a number of seconds from 0 to 2592000") == 0,
                  bad << ": " << text);
  }
}

TEST_CASE("execute checks: exec_timeout within its range becomes a typed duration") {
  // Not a structured binding: clang 14 cannot capture one in doctest's message lambda.
  for (auto& entry : std::vector<std::pair<std::string, double>>{{"0", 0},
                                                                 {"30", 30},
                                                                 {"2.5", 2.5},
                                                                 {"30.000000", 30},
                                                                 {"1e3", 1000},
                                                                 {"2592000", 2592000}}) {
    const auto& text = entry.first;
    double seconds = entry.second;
    auto req = to_runner_request(query("echo x", {{"exec_timeout", text}}), {});
    REQUIRE_MESSAGE(req, text << ": " << why(req));
    REQUIRE(req->exec_timeout);
    CHECK(*req->exec_timeout == seconds);
  }
  auto none = to_runner_request(query("echo x"), {});
  REQUIRE(none);
  CHECK(!none->exec_timeout);
}

TEST_CASE("execute checks: unknown options, modes, run ids and flush timeouts are refused") {
  CHECK(refused(to_runner_request(query("x", {{"timeout", "3"}}), {}))
            .find("opts.timeout is not an execution option") == 0);
  auto x = query("x");
  x.mode = static_cast<execution_mode>(99); // a number no mode has, as a peer could send
  CHECK(refused(to_runner_request(x, {})).find("mode must be") == 0);
  x = query("x");
  x.run_id = "../r";
  CHECK(refused(to_runner_request(x, {})).find("run_id must be") == 0);
  for (double bad : std::vector<double>{-1.0, NAN, INFINITY, 86401.0}) {
    x = query("x");
    x.flush_timeout = bad;
    CHECK(refused(to_runner_request(x, {})).find("flush_timeout must be") == 0);
  }
  x = query("x", {{"build", "make"}, {"exec", "./a.out"}});
  x.mode = execution_mode::batch;
  auto batch = to_runner_request(x, {});
  REQUIRE(batch);
  CHECK(batch->build == "make");
  CHECK(batch->exec == "./a.out");
}

TEST_CASE("execute checks: code over the limit is too large, at the limit accepted") {
  execute_limits limits;
  limits.max_code_bytes = 1000;
  CHECK(to_runner_request(query(std::string(1000, 'x')), limits));
  CHECK(refused(to_runner_request(query(std::string(1001, 'x')), limits), errc::too_large)
            .find("code is 1001 bytes; at most 1000") == 0);
  CHECK(refused(to_runner_request(query("x", {{"build", std::string(1001, 'b')}}), limits),
                errc::too_large)
            .find("opts.build") == 0);
  CHECK(refused(to_runner_request(query(std::string("a\0b", 3)), limits)).find("NUL") !=
        std::string::npos);
}
