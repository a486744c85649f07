// The HTTP server over a real socket: requests reach the handler parsed, answers may come
// later from another thread, bodies over the limit answer 413 before they are read, keep-alive
// connections serve several requests, event streams deliver pushes, and a graceful stop lets a
// request in flight finish.

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "messages/errors.hpp"
#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "support/eventually.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;
using namespace baikal::http;

namespace {

struct recorded {
  std::mutex mtx;
  std::vector<http_request> requests;
};

client_response send(uint16_t port, client_request req) {
  auto c = blocking_client::make("http://127.0.0.1:" + std::to_string(port));
  REQUIRE(c);
  auto res = c->send(req, std::chrono::seconds(30));
  REQUIRE_MESSAGE(res, why(res));
  return *res;
}

/// Writes `raw` on one connection and reads until the server closes it.
std::string raw_server_exchange(uint16_t port, const std::string& raw) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(sock, net::buffer(raw));
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  while (true) {
    auto n = sock.read_some(net::buffer(buf), ec);
    out.append(buf, n);
    if (ec)
      break;
  }
  return out;
}

} // namespace

TEST_CASE("http server: a request reaches the handler parsed and its answer comes back") {
  recorded rec;
  server_options opts;
  opts.port = 0;
  server srv{opts, [&](http_request req, responder res) {
               {
                 std::lock_guard<std::mutex> guard{rec.mtx};
                 rec.requests.push_back(req);
               }
               res.send(json_response(201, R"({"echo":")" + req.body + "\"}"));
             }};
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  client_request req;
  req.method = "POST";
  req.target = "/v1/things/a%20b?path=%2Fhome%2Fwork&x=1";
  req.body = "hello";
  req.headers["Authorization"] = "Bearer t";
  auto res = send(*port, req);
  CHECK(res.status == 201);
  CHECK(res.content_type == "application/json");
  CHECK(res.body == R"({"echo":"hello"})");
  std::lock_guard<std::mutex> guard{rec.mtx};
  REQUIRE(rec.requests.size() == 1);
  auto& got = rec.requests[0];
  CHECK(got.method == "POST");
  CHECK(got.path == "/v1/things/a%20b");
  CHECK(got.query.at("path") == "/home/work");
  CHECK(got.header("authorization") == "Bearer t");
  CHECK(got.body == "hello");
}

TEST_CASE("http server: an answer may come later from another thread") {
  std::vector<std::thread> workers;
  std::mutex mtx;
  server_options opts;
  opts.port = 0;
  server srv{opts, [&](http_request req, responder res) {
               std::lock_guard<std::mutex> guard{mtx};
               workers.emplace_back([res, body = req.body] {
                 std::this_thread::sleep_for(std::chrono::milliseconds(100));
                 res.send(json_response(200, body));
                 res.send(json_response(500, "second answer is ignored"));
               });
             }};
  auto port = srv.start();
  REQUIRE(port);
  std::vector<std::future<client_response>> calls;
  for (int i = 0; i < 4; ++i)
    calls.push_back(std::async(std::launch::async, [&, i] {
      client_request req;
      req.method = "POST";
      req.body = std::to_string(i);
      return send(*port, req);
    }));
  for (int i = 0; i < 4; ++i) {
    auto res = calls[i].get();
    CHECK(res.status == 200);
    CHECK(res.body == std::to_string(i));
  }
  srv.stop();
  for (auto& t : workers)
    t.join();
}

TEST_CASE("http server: a body over the limit answers 413 with the configured body, without "
          "reaching the handler") {
  std::atomic<int> handled{0};
  server_options opts;
  opts.port = 0;
  opts.body_limit = [](const http_request& head) -> uint64_t {
    return head.method == "PUT" ? 1000 : 10;
  };
  opts.too_large = [](uint64_t limit) {
    return json_response(413, R"({"error":"invalid_argument","message":"over )" +
                                  std::to_string(limit) + "\"}");
  };
  server srv{opts, [&](http_request, responder res) {
               ++handled;
               res.send(json_response(200, "{}"));
             }};
  auto port = srv.start();
  REQUIRE(port);
  client_request big;
  big.method = "POST";
  big.body = std::string(11, 'x');
  auto res = send(*port, big);
  CHECK(res.status == 413);
  CHECK(res.body == R"({"error":"invalid_argument","message":"over 10"})");
  big.method = "PUT";
  CHECK(send(*port, big).status == 200); // PUT may carry 1000 bytes
  big.body = std::string(1001, 'x');
  CHECK(send(*port, big).status == 413);
  // A chunked body has no length up front: the parser stops it at the limit.
  auto raw =
      raw_server_exchange(*port, "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                                 "\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(handled == 1);
}

TEST_CASE("http server: a limit above Beast's 1 MiB default lets a large body through, and a "
          "larger one is 413 from its Content-Length") {
  server_options opts;
  opts.port = 0;
  opts.body_limit = [](const http_request&) -> uint64_t { return 3 * 1024 * 1024; };
  opts.too_large = [](uint64_t limit) { return json_response(413, std::to_string(limit)); };
  server srv{opts, [&](http_request req, responder res) {
               res.send(json_response(200, std::to_string(req.body.size())));
             }};
  auto port = srv.start();
  REQUIRE(port);
  client_request req;
  req.method = "PUT";
  req.body = std::string(2 * 1024 * 1024, 'x');
  auto ok = send(*port, req);
  CHECK(ok.status == 200);
  CHECK(ok.body == std::to_string(2 * 1024 * 1024));
  req.body = std::string(4 * 1024 * 1024, 'x');
  auto refused = send(*port, req);
  CHECK(refused.status == 413);
  CHECK(refused.body == std::to_string(3 * 1024 * 1024));
}

TEST_CASE("http server: a malformed request answers 400 and closes") {
  server_options opts;
  opts.port = 0;
  server srv{opts, [](http_request, responder res) { res.send(json_response(200, "{}")); }};
  auto port = srv.start();
  REQUIRE(port);
  auto raw = raw_server_exchange(*port, "NOT HTTP AT ALL\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(raw.find("invalid_argument") != std::string::npos);
}

TEST_CASE("http server: a keep-alive connection serves several requests in turn") {
  std::atomic<int> handled{0};
  server_options opts;
  opts.port = 0;
  server srv{opts, [&](http_request req, responder res) {
               ++handled;
               res.send(json_response(200, req.path));
             }};
  auto port = srv.start();
  REQUIRE(port);
  auto raw =
      raw_server_exchange(*port, "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                                 "GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  CHECK(handled == 2);
  CHECK(raw.find("/one") != std::string::npos);
  CHECK(raw.find("/two") != std::string::npos);
  CHECK(raw.find("HTTP/1.1 200", raw.find("/one")) != std::string::npos);
}

TEST_CASE("http server: an event stream delivers what is pushed until the client leaves") {
  std::shared_ptr<event_stream> stream;
  std::mutex mtx;
  server_options opts;
  opts.port = 0;
  server srv{opts, [&](http_request, responder res) {
               std::lock_guard<std::mutex> guard{mtx};
               stream = res.open_event_stream();
             }};
  auto port = srv.start();
  REQUIRE(port);
  std::string received;
  std::thread pusher{[&] {
    REQUIRE(test::eventually([&] {
      std::lock_guard<std::mutex> guard{mtx};
      return stream != nullptr;
    }));
    for (int i = 0; i < 3; ++i)
      stream->push("data: {\"n\":" + std::to_string(i) + "}\n\n");
  }};
  auto c = blocking_client::make("http://127.0.0.1:" + std::to_string(*port));
  REQUIRE(c);
  client_request req;
  req.target = "/v1/events";
  auto status = c->stream(req, [&](std::string_view piece) {
    received.append(piece);
    return received.find("{\"n\":2}") == std::string::npos;
  });
  pusher.join();
  REQUIRE(status);
  CHECK(*status == 200);
  CHECK(received == "data: {\"n\":0}\n\ndata: {\"n\":1}\n\ndata: {\"n\":2}\n\n");
  // The client is gone: the server notices and the stream refuses further pushes.
  CHECK(test::eventually([&] { return !stream->push(": ping\n\n"); }));
  CHECK(stream->closed());
}

TEST_CASE("http server: stop() lets a request in flight finish, then refuses connections") {
  std::promise<responder> pending;
  server_options opts;
  opts.port = 0;
  server srv{opts, [&](http_request, responder res) { pending.set_value(res); }};
  auto port = srv.start();
  REQUIRE(port);
  auto call = std::async(std::launch::async, [&] { return send(*port, client_request{}); });
  auto res = pending.get_future().get(); // the request is in the handler now
  std::thread stopper{[&] { srv.stop(); }};
  std::this_thread::sleep_for(std::chrono::milliseconds(200)); // stop() is waiting for it
  res.send(json_response(200, R"({"late":true})"));
  stopper.join();
  auto answer = call.get();
  CHECK(answer.status == 200);
  CHECK(answer.body == R"({"late":true})");
  auto c = blocking_client::make("http://127.0.0.1:" + std::to_string(*port));
  CHECK(!c->send(client_request{}, std::chrono::seconds(5)));
}

TEST_CASE("http server: a listener handed over keeps clients that connect in between waiting, "
          "and the next server on it answers them") {
  server_options opts;
  opts.port = 0;
  server first{opts, [](http_request, responder res) { res.send(json_response(200, "{}")); }};
  auto port = first.start();
  REQUIRE_MESSAGE(port, why(port));
  auto listener = first.hand_over_listener();
  REQUIRE(listener);
  CHECK_FALSE(first.hand_over_listener()); // stopped: nothing more to hand over
  // Nobody accepts now: the connection waits in the backlog rather than being refused.
  auto waiting = std::async(std::launch::async, [&] {
    return raw_server_exchange(*port, "GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  });
  CHECK(waiting.wait_for(std::chrono::milliseconds{300}) == std::future_status::timeout);
  server second{opts, [](http_request, responder res) {
                  res.send(json_response(200, R"({"who":"second"})"));
                }};
  auto second_port = second.start(std::move(listener));
  REQUIRE_MESSAGE(second_port, why(second_port));
  CHECK(*second_port == *port);
  auto answer = waiting.get();
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find(R"({"who":"second"})") != std::string::npos);
  CHECK(send(*port, client_request{}).status == 200);
}
