// The engine's connection pool against a fake HTTP server on a Unix socket: no Docker needed.

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "messages/errors.hpp"
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

/// Keeps every connection open and answers each request, like an engine; the first answer on
/// each connection waits until `hold` connections are open, so that that many go back to the
/// client's pool at once. `restart()` closes them all, as an engine that restarts does.
struct keep_alive_server {
  std::string path = "/tmp/baikal-keepalive-" + std::to_string(::getpid()) + ".sock";
  boost::asio::io_context ioc;
  stream_protocol::acceptor acceptor{ioc};
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::shared_ptr<stream_protocol::socket>> open;
  std::vector<std::thread> workers;
  std::atomic<int> connections{0};
  std::atomic<bool> stopping{false};
  size_t hold;
  std::thread thread;

  explicit keep_alive_server(size_t hold_for) : hold(hold_for) {
    std::remove(path.c_str());
    acceptor.open();
    acceptor.bind({path});
    acceptor.listen();
    thread = std::thread{[this] {
      for (;;) {
        auto s = std::make_shared<stream_protocol::socket>(ioc);
        boost::system::error_code ec;
        acceptor.accept(*s, ec);
        if (ec || stopping)
          return;
        ++connections;
        std::lock_guard<std::mutex> guard{mutex};
        open.push_back(s);
        changed.notify_all();
        workers.emplace_back([this, s] { serve(*s); });
      }
    }};
  }

  void serve(stream_protocol::socket& s) {
    {
      std::unique_lock<std::mutex> guard{mutex};
      changed.wait(guard, [this] { return open.size() >= hold; });
    }
    for (;;) {
      boost::asio::streambuf buf;
      boost::system::error_code ec;
      boost::asio::read_until(s, buf, "\r\n\r\n", ec);
      if (ec)
        return;
      boost::asio::write(
          s, boost::asio::buffer(std::string{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"}),
          ec);
      if (ec)
        return;
    }
  }

  /// Closes every open connection and waits until their workers are done.
  void restart() {
    std::vector<std::thread> done;
    {
      std::lock_guard<std::mutex> guard{mutex};
      for (auto& s : open)
        ::shutdown(s->native_handle(), SHUT_RDWR);
      done.swap(workers);
    }
    for (auto& t : done)
      t.join();
    std::lock_guard<std::mutex> guard{mutex};
    for (auto& s : open)
      s->close();
    open.clear();
    hold = 0;
  }

  ~keep_alive_server() {
    restart();
    stopping = true;
    stream_protocol::socket wake{ioc}; // ends the blocked accept
    boost::system::error_code ec;
    wake.connect({path}, ec);
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

TEST_CASE("docker engine: after an engine restart left every pooled connection dead, the next "
          "request succeeds on a fresh connection") {
  keep_alive_server server{2};
  docker::engine eng{{server.path, 2, 4}};
  // Two calls at once: two connections, both back in the pool afterwards.
  std::promise<caf::expected<docker_reply>> a;
  std::promise<caf::expected<docker_reply>> b;
  eng.submit(1, docker::ping(), nullptr, [&](caf::expected<docker_reply> r) { a.set_value(r); });
  eng.submit(2, docker::ping(), nullptr, [&](caf::expected<docker_reply> r) { b.set_value(r); });
  REQUIRE(a.get_future().get());
  REQUIRE(b.get_future().get());
  REQUIRE(server.connections == 2);
  server.restart();
  auto after = run(eng, 3);
  REQUIRE_MESSAGE(after, (after ? "" : message_of(after.error())));
  CHECK(after->status == 200);
  CHECK(server.connections == 3);
  // The other stale connection left the pool with the first: the next call reuses the new one.
  CHECK(run(eng, 4));
  CHECK(server.connections == 3);
  eng.stop();
}
