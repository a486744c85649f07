// Which image pull failures are tried again, and how a final failure reads.

#include <doctest/doctest.h>

#include "actors/agent/pull_failure.hpp"
#include "messages/errors.hpp"

using namespace baikal;
using namespace std::chrono_literals;

TEST_CASE("pull failure: a registry that refuses, resets or times out is unreachable") {
  auto refused = make_error(errc::runtime_error,
                            "Get \"http://127.0.0.1:5000/v2/\": dial tcp 127.0.0.1:5000: connect: "
                            "connection refused");
  CHECK(classify_pull_failure(refused) == pull_failure_kind::registry_unreachable);
  auto reset = make_error(errc::runtime_error, "read tcp 127.0.0.1:4242->127.0.0.1:5000: read: "
                                               "connection reset by peer");
  CHECK(classify_pull_failure(reset) == pull_failure_kind::registry_unreachable);
  auto slow = make_error(errc::runtime_error,
                         "Get \"https://r.example/v2/\": net/http: request canceled while waiting "
                         "for connection (Client.Timeout exceeded while awaiting headers)");
  CHECK(classify_pull_failure(slow) == pull_failure_kind::registry_unreachable);
  CHECK(classify_pull_failure(make_error(errc::runtime_error, "Get \"http://r/v2/\": EOF")) ==
        pull_failure_kind::registry_unreachable);
}

TEST_CASE("pull failure: missing manifests and refused credentials are permanent, the engine "
          "away and the deadline are their own kinds") {
  CHECK(classify_pull_failure(
            make_error(errc::not_found, "manifest for r/x:1 not found: manifest unknown")) ==
        pull_failure_kind::permanent);
  CHECK(classify_pull_failure(
            make_error(errc::runtime_error, "unauthorized: authentication required")) ==
        pull_failure_kind::permanent);
  CHECK(classify_pull_failure(make_error(errc::unavailable, "cannot reach the Docker engine")) ==
        pull_failure_kind::engine_unreachable);
  CHECK(classify_pull_failure(make_error(errc::timeout, "the Docker engine did not answer")) ==
        pull_failure_kind::timed_out);
}

TEST_CASE("pull failure: only unreachable registries and engines are retried, while retries "
          "and time remain") {
  auto reg = pull_failure_kind::registry_unreachable;
  CHECK(retry_pull(reg, 1, 5, 1s, 60s));
  CHECK(retry_pull(pull_failure_kind::engine_unreachable, 1, 5, 1s, 60s));
  CHECK(retry_pull(reg, 5, 5, 1s, 60s));
  CHECK_FALSE(retry_pull(reg, 6, 5, 1s, 60s));
  CHECK_FALSE(retry_pull(reg, 1, 0, 1s, 60s));
  CHECK_FALSE(retry_pull(reg, 1, 5, 2s, 1s));
  CHECK_FALSE(retry_pull(pull_failure_kind::permanent, 1, 5, 1s, 60s));
  CHECK_FALSE(retry_pull(pull_failure_kind::timed_out, 1, 5, 1s, 60s));
}

TEST_CASE("pull failure: the registry is the reference's host, else Docker Hub") {
  CHECK(registry_of("127.0.0.1:5000/baikal-test/busybox:1") == "127.0.0.1:5000");
  CHECK(registry_of("registry.example.com/team/app:2") == "registry.example.com");
  CHECK(registry_of("localhost/app") == "localhost");
  CHECK(registry_of("library/python:3") == "docker.io");
  CHECK(registry_of("python:3") == "docker.io");
}

TEST_CASE("pull failure: the message names the image, the registry, the attempts and the "
          "cause") {
  auto text = pull_failure_message("127.0.0.1:5000/x/y:1", pull_failure_kind::registry_unreachable,
                                   "connection refused", 3, 7.25);
  CHECK(text == "cannot reach registry 127.0.0.1:5000 to pull 127.0.0.1:5000/x/y:1 (3 attempts "
                "in 7.2 s): connection refused");
  auto late =
      pull_failure_message("r.example/x:1", pull_failure_kind::timed_out, "no answer", 1, 30);
  CHECK(late.find("from registry r.example did not finish within 30.0 s (1 attempt;") !=
        std::string::npos);
  CHECK(late.find("no answer") != std::string::npos);
}
