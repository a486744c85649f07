// The Docker actor's deadlines and shutdown, against a socket that accepts and never answers:
// no Docker engine needed.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/docker/docker_actor.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/system.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

/// A Unix socket that takes connections into its backlog and never reads or answers.
struct silent_engine {
  std::string path = "/tmp/baikal-silent-" + std::to_string(::getpid()) + ".sock";
  boost::asio::io_context ioc;
  boost::asio::local::stream_protocol::acceptor acceptor{ioc};

  silent_engine() {
    std::remove(path.c_str());
    acceptor.open();
    acceptor.bind({path});
    acceptor.listen();
  }
  ~silent_engine() {
    acceptor.close();
    std::remove(path.c_str());
  }
};

struct actor_fixture {
  silent_engine engine;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg.set("scheduler.max-threads", 2)};
  docker_actor docker = spawn_docker_actor(sys, {engine.path});
  caf::scoped_actor self{sys};

  ~actor_fixture() { caf::anon_send_exit(docker, caf::exit_reason::user_shutdown); }
};

} // namespace

TEST_CASE_FIXTURE(actor_fixture, "docker actor: a call past its timeout answers timeout") {
  auto call = docker::version();
  call.timeout_ms = 200;
  auto start = std::chrono::steady_clock::now();
  self->request(docker, 10s, call)
      .receive([](docker_reply&) { FAIL("a silent engine answered"); },
               [](caf::error& e) {
                 CHECK(code_of(e) == errc::timeout);
                 CHECK(message_of(e).find("GET /version") != std::string::npos);
               });
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE_FIXTURE(actor_fixture, "docker actor: exiting fails pending calls as unavailable") {
  auto pending = self->request(docker, 10s, docker::version());
  // Let the request reach the actor and the engine before the exit does.
  self->request(docker, 10s, docker_cancel_stream{}).receive([] {}, [](caf::error&) {});
  caf::anon_send_exit(docker, caf::exit_reason::user_shutdown);
  pending.receive(
      [](docker_reply&) { FAIL("a silent engine answered"); },
      [](caf::error& e) { CHECK_MESSAGE(code_of(e) == errc::unavailable, message_of(e)); });
}
