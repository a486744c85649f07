// The HTTP server's streamed bodies: a route that reads its request body as it arrives gets it
// in pieces no larger than it asks for, only when it asks, and learns of a client that goes
// away mid-body; a response body of known length is written piece by piece, each writer told
// once its piece is written.

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;
using namespace baikal::http;

namespace {

std::string pattern(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i)
    out[i] = static_cast<char>((i * 7 + i / 1000) & 0xff);
  return out;
}

/// Reads a streamed body to its end, then answers with what it got.
struct body_collector : std::enable_shared_from_this<body_collector> {
  responder res;
  size_t max_piece = 0;
  std::string got;
  size_t largest = 0;
  std::promise<std::string> outcome; ///< "" when whole, else the error

  void next() {
    res.read_body(max_piece, [self = shared_from_this()](body_piece p) {
      if (!p.error.empty()) {
        self->outcome.set_value(p.error);
        self->res.send(json_response(400, "{}"));
        return;
      }
      self->largest = std::max(self->largest, p.data.size());
      self->got += p.data;
      if (p.last) {
        self->outcome.set_value("");
        self->res.send(json_response(200, std::to_string(self->got.size())));
        return;
      }
      self->next();
    });
  }
};

server_options streaming_options() {
  server_options opts;
  opts.port = 0;
  opts.body_limit = [](const http_request&) -> uint64_t { return uint64_t{1} << 30; };
  opts.stream_body = [](const http_request& head) { return head.method == "PUT"; };
  return opts;
}

} // namespace

TEST_CASE("http server: a streamed body arrives whole in pieces no larger than asked") {
  std::shared_ptr<body_collector> seen;
  std::mutex mtx;
  server srv{streaming_options(), [&](http_request req, responder res) {
               CHECK(req.body.empty());
               auto c = std::make_shared<body_collector>();
               c->res = res;
               c->max_piece = 64 * 1024;
               {
                 std::lock_guard<std::mutex> guard{mtx};
                 seen = c;
               }
               c->next();
             }};
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  auto client = blocking_client::make("http://127.0.0.1:" + std::to_string(*port));
  REQUIRE(client);
  client_request req;
  req.method = "PUT";
  req.target = "/up";
  req.body = pattern(3 * 1024 * 1024 + 17);
  req.content_type = "application/octet-stream";
  auto answer = client->send(req, std::chrono::seconds(30));
  REQUIRE_MESSAGE(answer, why(answer));
  CHECK(answer->status == 200);
  CHECK(answer->body == std::to_string(req.body.size()));
  std::lock_guard<std::mutex> guard{mtx};
  REQUIRE(seen);
  CHECK(seen->got == req.body);
  CHECK(seen->largest <= 64 * 1024);
}

TEST_CASE("http server: a client that leaves mid-body is told to the route reading it") {
  std::promise<std::string> outcome;
  auto done = outcome.get_future();
  std::shared_ptr<body_collector> keep;
  server srv{streaming_options(), [&](http_request, responder res) {
               auto c = std::make_shared<body_collector>();
               c->res = res;
               c->max_piece = 4096;
               c->outcome = std::move(outcome);
               keep = c;
               c->next();
             }};
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket sock{ioc};
    sock.connect({net::ip::make_address("127.0.0.1"), *port});
    net::write(sock, net::buffer(std::string{"PUT /up HTTP/1.1\r\nHost: x\r\n"
                                             "Content-Length: 1048576\r\n\r\n"} +
                                 std::string(10000, 'a')));
  } // closed with most of the body unsent
  REQUIRE(done.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  CHECK_FALSE(done.get().empty());
}

TEST_CASE("http server: a body of known length is written piece by piece, each writer told") {
  auto data = pattern(3 * 1024 * 1024 + 5);
  std::atomic<int> written{0};
  server srv{streaming_options(), [&](http_request, responder res) {
               auto body = res.open_body("application/octet-stream", data.size());
               REQUIRE(body);
               for (size_t at = 0; at < data.size(); at += 256 * 1024)
                 body->write(data.substr(at, 256 * 1024), [&](bool ok) {
                   if (ok)
                     ++written;
                 });
               body->finish();
             }};
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  auto client = blocking_client::make("http://127.0.0.1:" + std::to_string(*port));
  REQUIRE(client);
  client_request req;
  req.target = "/down";
  auto answer = client->send(req, std::chrono::seconds(30));
  REQUIRE_MESSAGE(answer, why(answer));
  CHECK(answer->status == 200);
  CHECK(answer->content_type == "application/octet-stream");
  CHECK(answer->body == data);
  CHECK(test::eventually([&] { return written.load() == 13; }, std::chrono::seconds(5)));
}

TEST_CASE("http server: a chunked streamed body goes through the parser and arrives whole") {
  std::shared_ptr<body_collector> seen;
  std::mutex mtx;
  server srv{streaming_options(), [&](http_request, responder res) {
               auto c = std::make_shared<body_collector>();
               c->res = res;
               c->max_piece = 4;
               {
                 std::lock_guard<std::mutex> guard{mtx};
                 seen = c;
               }
               c->next();
             }};
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), *port});
  net::write(sock, net::buffer(std::string{"PUT /up HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n"
                                           "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"}));
  std::string answer;
  boost::system::error_code ec;
  char buf[4096];
  while (!ec) {
    auto n = sock.read_some(net::buffer(buf), ec);
    answer.append(buf, n);
  }
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.substr(answer.size() - 2) == "11");
  std::lock_guard<std::mutex> guard{mtx};
  REQUIRE(seen);
  CHECK(seen->got == "hello world");
  CHECK(seen->largest <= 4);
}
