// The HTTP server's limits on what a client may make it hold: the request target and head
// sizes (414 and 431, answered on the connection, never a drop), the time a head may take
// (a client trickling it is answered 408 and cut while others are served), and connections
// per client address (429 beyond the limit, served again once one closes).

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::http;
using baikal::test::why;

namespace net = boost::asio;

namespace {

server_options small_limits() {
  server_options opts;
  opts.port = 0;
  opts.max_header_bytes = 4096;
  opts.max_target_bytes = 1024;
  return opts;
}

request_handler echo_path = [](http_request req, responder res) {
  res.send(json_response(200, "{\"path\":\"" + std::string{req.path.substr(0, 16)} + "\"}"));
};

/// Writes `raw` on a fresh connection and reads until the server closes it.
std::string raw_exchange(uint16_t port, const std::string& raw) {
  net::io_context ioc;
  net::ip::tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  net::write(sock, net::buffer(raw), ec);
  std::string out;
  char buf[4096];
  while (true) {
    auto n = sock.read_some(net::buffer(buf), ec);
    out.append(buf, n);
    if (ec)
      break;
  }
  return out;
}

int status_of(uint16_t port, const std::string& target,
              std::map<std::string, std::string> headers = {}) {
  auto c = blocking_client::make("http://127.0.0.1:" + std::to_string(port));
  REQUIRE(c);
  client_request req;
  req.target = target;
  req.headers = std::move(headers);
  auto res = c->send(req, std::chrono::seconds(30));
  REQUIRE_MESSAGE(res, why(res)); // an answer, not a dropped connection
  return res->status;
}

} // namespace

TEST_CASE("http server: a 100 kB request target is answered 414 on its connection, not dropped") {
  auto opts = server_options{};
  opts.port = 0;
  server s{opts, echo_path};
  auto port = s.start();
  REQUIRE(port);
  auto raw = raw_exchange(*port, "GET /v1/sessions/x/files?path=" + std::string(100000, 'a') +
                                     " HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 414", 0) == 0);
  CHECK(raw.find("longer than 8192 bytes") != std::string::npos);
  CHECK(status_of(*port, "/q?x=" + std::string(100000, 'b')) == 414);
}

TEST_CASE("http server: a target just under the limit is served, just over it answers 414") {
  server srv{small_limits(), echo_path};
  auto port = srv.start();
  REQUIRE(port);
  auto target = [](size_t n) { return "/" + std::string(n - 1, 't'); };
  CHECK(status_of(*port, target(1024)) == 200);
  CHECK(status_of(*port, target(1025)) == 414);
}

TEST_CASE("http server: a head over the limit answers 431, one just under it is served") {
  server srv{small_limits(), echo_path};
  auto port = srv.start();
  REQUIRE(port);
  CHECK(status_of(*port, "/a", {{"X-Pad", std::string(3000, 'p')}}) == 200);
  CHECK(status_of(*port, "/a", {{"X-Pad", std::string(5000, 'p')}}) == 431);
  std::map<std::string, std::string> many;
  for (int i = 0; i < 200; ++i)
    many["X-Pad-" + std::to_string(i)] = std::string(40, 'p');
  CHECK(status_of(*port, "/a", many) == 431);
  auto raw =
      raw_exchange(*port, "GET /a HTTP/1.1\r\nX-Pad: " + std::string(20000, 'p') + "\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 431", 0) == 0);
}

TEST_CASE("http server: a client trickling its head is answered 408 and cut after the header "
          "timeout, while other clients are served") {
  auto opts = small_limits();
  opts.header_timeout = std::chrono::seconds(1);
  server srv{opts, echo_path};
  auto port = srv.start();
  REQUIRE(port);
  // The slow client sends its head one byte at a time; it would need 60 s for all of it.
  std::string head =
      "GET /slow HTTP/1.1\r\nHost: h\r\nX-Slow: " + std::string(200, 's') + "\r\n\r\n";
  std::atomic<bool> cut{false};
  std::atomic<size_t> sent{0};
  std::string answer;
  net::io_context ioc;
  net::ip::tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), *port});
  std::thread reader{[&] {
    boost::system::error_code ec;
    char buf[1024];
    while (true) {
      auto n = sock.read_some(net::buffer(buf), ec);
      answer.append(buf, n);
      if (ec)
        break;
    }
    cut = true;
  }};
  std::thread trickler{[&] {
    for (char c : head) {
      if (cut)
        return;
      boost::system::error_code ec;
      net::write(sock, net::buffer(&c, 1), ec);
      if (ec)
        return;
      ++sent;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }};
  // Meanwhile the server answers everyone else.
  for (int i = 0; i < 5; ++i)
    CHECK(status_of(*port, "/fast") == 200);
  CHECK(test::eventually([&] { return cut.load(); }, std::chrono::seconds(30)));
  trickler.join();
  reader.join();
  CHECK(sent < head.size());
  CHECK(answer.rfind("HTTP/1.1 408", 0) == 0);
  CHECK(status_of(*port, "/after") == 200);
}

TEST_CASE("http server: one connection more than an address may hold answers 429, and a closed one "
          "frees its place") {
  auto opts = small_limits();
  opts.max_connections_per_address = 2;
  server srv{opts, echo_path};
  auto port = srv.start();
  REQUIRE(port);
  net::io_context ioc;
  net::ip::tcp::socket first{ioc};
  net::ip::tcp::socket second{ioc};
  first.connect({net::ip::make_address("127.0.0.1"), *port});
  second.connect({net::ip::make_address("127.0.0.1"), *port});
  auto raw = raw_exchange(*port, "GET /third HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 429", 0) == 0);
  CHECK(raw.find("already holds 2 connections") != std::string::npos);
  first.close();
  CHECK(test::eventually([&] { return status_of(*port, "/again") == 200; },
                         std::chrono::seconds(30)));
}
