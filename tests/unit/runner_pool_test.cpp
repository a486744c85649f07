// The kernel's kept runner connections (runtime/runner/runner_pool) against a real runner.

#include <doctest/doctest.h>

#include <future>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/runner/runner_pool.hpp"
#include "tests/support/runner_process.hpp"

using namespace baikal;
using namespace baikal::runner;
using baikal::test::runner_process;

namespace {

execute_request pool_query(std::string code, double flush_timeout = 5.0) {
  execute_request req;
  req.code = std::move(code);
  req.flush_timeout = flush_timeout;
  return req;
}

} // namespace

TEST_CASE("runner pool: calls in a row share one kept connection") {
  runner_process runner;
  runner_pool pool{runner.socket};
  for (int i = 0; i < 5; ++i) {
    auto res = pool.with_client([](runner_client& c) { return c.execute(pool_query("echo hi")); });
    REQUIRE(res);
    CHECK(res->status == "finished");
  }
  CHECK(pool.clients_made() == 1);
  CHECK(pool.idle() == 1);
}

TEST_CASE("runner pool: a runner restarted behind a kept connection answers the next call") {
  runner_process runner;
  runner_pool pool{runner.socket};
  REQUIRE(pool.with_client([](runner_client& c) { return c.health(); }));
  REQUIRE(runner.terminate() == 0);
  runner.start();
  // The kept connection ended with the old runner: the call reconnects instead of failing.
  auto res = pool.with_client([](runner_client& c) { return c.execute(pool_query("echo again")); });
  REQUIRE_MESSAGE(res, (res ? "" : message_of(res.error())));
  CHECK(res->status == "finished");
  CHECK(pool.clients_made() == 1);
}

TEST_CASE("runner pool: calls at once get a connection each, and at most max_idle are kept") {
  runner_process runner;
  runner_pool pool{runner.socket, 2};
  std::vector<std::future<caf::expected<execution_result>>> calls;
  for (int i = 0; i < 4; ++i)
    calls.push_back(std::async(std::launch::async, [&pool] {
      return pool.with_client([](runner_client& c) { return c.execute(pool_query("sleep 0.3")); });
    }));
  for (auto& call : calls) {
    auto res = call.get();
    REQUIRE(res);
    CHECK(res->status == "finished");
  }
  CHECK(pool.clients_made() == 4);
  CHECK(pool.idle() == 2);
}

TEST_CASE("runner pool: a call that failed does not keep its client") {
  runner_process runner;
  runner_pool pool{runner.socket};
  runner.terminate();
  auto res = pool.with_client([](runner_client& c) { return c.health(); });
  CHECK_FALSE(res);
  CHECK(pool.idle() == 0);
}
