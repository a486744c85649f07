// Which failed requests the Docker client sends again on a fresh connection: only those the
// engine cannot have acted on, or that change nothing when they run twice.

#include <doctest/doctest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/retry_policy.hpp"
#include "runtime/docker/system.hpp"

using namespace baikal;
using namespace baikal::docker;

namespace {

docker_call post(const std::string& target) {
  docker_call c;
  c.method = "POST";
  c.target = target;
  return c;
}

/// A pooled connection the engine had closed: the request went out, no answer came.
attempt_result dropped_after_write() {
  return {boost::asio::error::connection_reset, true, true, false};
}

} // namespace

TEST_CASE("docker retry: reads, deletes and named creates are idempotent") {
  CHECK(is_idempotent(ping()));
  CHECK(is_idempotent(container_inspect("k1")));
  CHECK(is_idempotent(container_remove("k1", true, true)));
  CHECK(is_idempotent(post("/containers/create?name=kernel.1")));
  CHECK(is_idempotent(container_start("k1")));
  CHECK(is_idempotent(container_stop("k1", 1)));
  CHECK(is_idempotent(post("/containers/abc/wait?condition=next-exit")));
  CHECK(is_idempotent(post("/images/create?fromImage=reg%2Fimg&tag=1")));
  CHECK(is_idempotent(post("/images/reg/img/push?tag=1")));
  CHECK(is_idempotent(post("/networks/create")));
}

TEST_CASE("docker retry: execs, commits, loads, imports and unnamed creates are not idempotent") {
  CHECK_FALSE(is_idempotent(post("/containers/abc/exec")));
  CHECK_FALSE(is_idempotent(post("/exec/e1/start")));
  CHECK_FALSE(is_idempotent(post("/commit?container=abc&repo=r&tag=t")));
  CHECK_FALSE(is_idempotent(post("/images/load?quiet=1")));
  CHECK_FALSE(is_idempotent(post("/images/create?fromSrc=-&repo=r")));
  CHECK_FALSE(is_idempotent(post("/containers/create")));
}

TEST_CASE("docker retry: an idempotent request on a dropped pooled connection is retried") {
  CHECK(retry_on_fresh_connection(container_inspect("k1"), dropped_after_write()));
  CHECK(retry_on_fresh_connection(post("/containers/create?name=kernel.1"), dropped_after_write()));
  attempt_result broken_pipe{boost::asio::error::broken_pipe, true, true, false};
  CHECK(retry_on_fresh_connection(container_remove("k1", true, true), broken_pipe));
  attempt_result end_of_stream{boost::beast::http::error::end_of_stream, true, true, false};
  CHECK(retry_on_fresh_connection(ping(), end_of_stream));
}

TEST_CASE("docker retry: a non-idempotent request is retried only if it never went out whole") {
  CHECK_FALSE(retry_on_fresh_connection(post("/exec/e1/start"), dropped_after_write()));
  CHECK_FALSE(retry_on_fresh_connection(post("/commit?container=abc"), dropped_after_write()));
  attempt_result unsent{boost::asio::error::broken_pipe, true, false, false};
  CHECK(retry_on_fresh_connection(post("/exec/e1/start"), unsent));
}

TEST_CASE("docker retry: nothing is retried once the answer began, on a fresh connection, or "
          "after another error") {
  attempt_result answered{boost::asio::error::connection_reset, true, true, true};
  CHECK_FALSE(retry_on_fresh_connection(ping(), answered));
  attempt_result fresh{boost::asio::error::connection_reset, false, true, false};
  CHECK_FALSE(retry_on_fresh_connection(ping(), fresh));
  attempt_result refused{boost::asio::error::connection_refused, true, false, false};
  CHECK_FALSE(retry_on_fresh_connection(ping(), refused));
  attempt_result timed_out{boost::asio::error::timed_out, true, true, false};
  CHECK_FALSE(retry_on_fresh_connection(ping(), timed_out));
}
