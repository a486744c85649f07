// The HTTP server's tunnels (what the app proxy stands on), over real sockets: a chunked
// answer passes as sent, a WebSocket upgrade carries frames both ways, and a far end that
// does not answer gets the handler's own error.

#include <doctest/doctest.h>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "runtime/http/proxy_request.hpp"
#include "runtime/http/server.hpp"
#include "support/why.hpp"

using baikal::test::why;
using namespace baikal::http;

namespace {

namespace net = boost::asio;
namespace beast_ws = boost::beast::websocket;
using tcp = net::ip::tcp;

/// One upstream connection served on its own thread by `serve`.
struct upstream {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;

  template <class F> explicit upstream(F serve) {
    thread = std::thread{[this, serve] {
      tcp::socket sock{ioc};
      boost::system::error_code ec;
      acceptor.accept(sock, ec);
      if (!ec)
        serve(sock);
    }};
  }
  ~upstream() { thread.join(); }
  uint16_t port() const { return acceptor.local_endpoint().port(); }
};

/// A server whose every request tunnels to 127.0.0.1:`port`.
server tunnelling_server(uint16_t port) {
  server_options opts;
  opts.port = 0;
  return server{opts, [port](http_request req, responder res) {
                  tunnel_request t;
                  t.host = "127.0.0.1";
                  t.port = port;
                  t.connect_for = std::chrono::milliseconds(300);
                  t.first_bytes = proxied_request(req, {req.target, "upstream", "/p", "client"});
                  t.unreachable = [](const std::string& why) {
                    return json_response(502, "{\"why\":\"" + why + "\"}");
                  };
                  res.open_tunnel(std::move(t));
                }};
}

std::string exchange(uint16_t port, const std::string& raw) {
  net::io_context ioc;
  tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(sock, net::buffer(raw));
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  while (!ec) {
    auto n = sock.read_some(net::buffer(buf), ec);
    out.append(buf, n);
  }
  return out;
}

} // namespace

TEST_CASE("http tunnel: a plain request reaches the far end rewritten and its chunked answer "
          "comes back as sent") {
  std::string seen;
  upstream up{[&seen](tcp::socket& sock) {
    boost::system::error_code ec;
    char buf[4096];
    while (seen.find("\r\n\r\n") == std::string::npos && !ec)
      seen.append(buf, sock.read_some(net::buffer(buf), ec));
    net::write(sock, net::buffer(std::string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                                             "Connection: close\r\n\r\n"
                                             "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"}));
  }};
  auto srv = tunnelling_server(up.port());
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  auto answer = exchange(*port, "GET /page?x=1 HTTP/1.1\r\nHost: h\r\n"
                                "Authorization: Bearer t0ken\r\n\r\n");
  CHECK(answer.find("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") != std::string::npos);
  CHECK(seen.rfind("GET /page?x=1 HTTP/1.1\r\nHost: upstream\r\n", 0) == 0);
  CHECK(seen.find("t0ken") == std::string::npos);
  srv.stop();
}

TEST_CASE("http tunnel: a WebSocket upgrade carries messages both ways until closed") {
  upstream up{[](tcp::socket& sock) {
    beast_ws::stream<tcp::socket&> ws{sock};
    boost::system::error_code ec;
    ws.accept(ec);
    if (ec)
      return;
    boost::beast::flat_buffer buf;
    while (!ec) {
      ws.read(buf, ec);
      if (ec)
        break;
      ws.text(ws.got_text());
      auto echoed = "echo: " + boost::beast::buffers_to_string(buf.data());
      ws.write(net::buffer(echoed), ec);
      buf.consume(buf.size());
    }
  }};
  auto srv = tunnelling_server(up.port());
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  net::io_context ioc;
  beast_ws::stream<tcp::socket> ws{ioc};
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"), *port});
  ws.handshake("127.0.0.1", "/v1/sessions/s/apps/ws/");
  for (std::string text : {"one", "two"}) {
    ws.write(net::buffer(text));
    boost::beast::flat_buffer buf;
    ws.read(buf);
    CHECK(boost::beast::buffers_to_string(buf.data()) == "echo: " + text);
  }
  ws.close(beast_ws::close_code::normal);
  srv.stop();
}

TEST_CASE("http tunnel: a far end that refuses gets the handler's answer for it") {
  uint16_t closed_port;
  {
    net::io_context ioc;
    tcp::acceptor a{ioc, {net::ip::make_address("127.0.0.1"), 0}};
    closed_port = a.local_endpoint().port();
  }
  auto srv = tunnelling_server(closed_port);
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  auto answer = exchange(*port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.1 502", 0) == 0);
  CHECK(answer.find("127.0.0.1:" + std::to_string(closed_port)) != std::string::npos);
  srv.stop();
}
