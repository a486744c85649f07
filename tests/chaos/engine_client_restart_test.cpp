// The Docker client's pooled keep-alive connections across a real engine restart: every one
// of them is dead afterwards, and the next request still succeeds (sent again on a fresh
// connection), while a request that is not idempotent is never sent twice.

#include <doctest/doctest.h>

#include <future>

#include "chaos/private_test_env.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/engine.hpp"
#include "runtime/docker/system.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

caf::expected<docker_reply> call(docker::engine& eng, uint64_t id, docker_call c) {
  std::promise<caf::expected<docker_reply>> done;
  eng.submit(id, std::move(c), nullptr,
             [&](caf::expected<docker_reply> r) { done.set_value(std::move(r)); });
  return done.get_future().get();
}

} // namespace

TEST_CASE("chaos: after the Docker engine restarted under a client with pooled connections, "
          "its next requests succeed the first time") {
  private_test_env env;
  docker::engine eng{{env.socket(), 3, 4}};
  // Several requests at once leave several connections in the pool.
  std::vector<std::future<caf::expected<docker_reply>>> calls;
  for (uint64_t id = 1; id <= 6; ++id)
    calls.push_back(
        std::async(std::launch::async, [&eng, id] { return call(eng, id, docker::ping()); }));
  for (auto& c : calls)
    REQUIRE(c.get());

  for (bool crash : {true, false}) {
    CAPTURE(crash);
    env.stop_engine(crash);
    env.start_engine();
    for (uint64_t id = 10; id < 13; ++id) {
      auto answer = call(eng, id, docker::ping());
      REQUIRE_MESSAGE(answer, (answer ? "" : message_of(answer.error())));
      CHECK(answer->status == 200);
    }
  }
  eng.stop();
}
