// The engine's connection pool against a fake HTTP server on a Unix socket: no Docker needed.

#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <future>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "runtime/docker/engine.hpp"
#include "runtime/docker/system.hpp"

using namespace baikal;
using boost::asio::local::stream_protocol;

namespace {

/// Answers each connection's first request with 200 "OK", then closes it without saying so:
/// what a Docker engine does to a connection it dropped while it sat idle in the pool.
struct one_shot_server {
  std::string path = "/tmp/baikal-oneshot-" + std::to_string(::getpid()) + ".sock";
  boost::asio::io_context ioc;
  stream_protocol::acceptor acceptor{ioc};
  std::atomic<int> connections{0};
  std::thread thread;

  explicit one_shot_server(int max_connections) {
    std::remove(path.c_str());
    acceptor.open();
    acceptor.bind({path});
    acceptor.listen();
    thread = std::thread{[this, max_connections] {
      for (int i = 0; i < max_connections; ++i) {
        stream_protocol::socket s{ioc};
        acceptor.accept(s);
        ++connections;
        boost::asio::streambuf buf;
        boost::system::error_code ec;
        boost::asio::read_until(s, buf, "\r\n\r\n", ec);
        boost::asio::write(
            s, boost::asio::buffer(std::string{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"}),
            ec);
      }
    }};
  }
  ~one_shot_server() {
    thread.join();
    std::remove(path.c_str());
  }
};

caf::expected<docker_reply> run(docker::engine& eng, uint64_t id) {
  std::promise<caf::expected<docker_reply>> done;
  eng.submit(id, docker::ping(), nullptr,
             [&](caf::expected<docker_reply> r) { done.set_value(std::move(r)); });
  return done.get_future().get();
}

} // namespace

TEST_CASE("docker engine: a pooled connection the server closed is retried once") {
  one_shot_server server{2};
  docker::engine eng{{server.path, 1, 4}};
  auto first = run(eng, 1);
  REQUIRE(first);
  CHECK(first->body == "OK");
  // The pooled connection is dead now; the engine must notice and reconnect.
  auto second = run(eng, 2);
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(server.connections == 2);
  eng.stop();
}
