// The HTTP server stopping with WebSocket sessions open, whose owner keeps each session in its
// own handlers (as the manager's live routes do): a client that answers gets a close frame
// saying the server stopped; one that does not is ended once the grace is over. Either way the
// owner hears "the server stopped" once and the session is freed (a session kept by its own
// handlers was leaked before, which the leak checker reported).

#include <doctest/doctest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "runtime/http/websocket_client.hpp"
#include "support/why.hpp"

using baikal::test::why;
using namespace baikal::http;

namespace {

/// What the server's WebSocket owner saw.
struct owner_log {
  std::mutex mtx;
  std::weak_ptr<websocket> session;
  std::vector<std::string> closed;

  std::vector<std::string> closes() {
    std::lock_guard<std::mutex> guard{mtx};
    return closed;
  }
};

/// Every request becomes a WebSocket whose handlers keep the session (a cycle only its end
/// breaks) and echo what arrives.
request_handler keeping_owner(std::shared_ptr<owner_log> log) {
  return [log](http_request, responder r) {
    auto peer = std::make_shared<std::shared_ptr<websocket>>();
    websocket_handlers h;
    h.opened = [peer, log](std::shared_ptr<websocket> ws) {
      {
        std::lock_guard<std::mutex> guard{log->mtx};
        log->session = ws;
      }
      *peer = std::move(ws);
    };
    h.received = [peer](std::string data, bool) { (*peer)->send_text("echo: " + data); };
    h.closed = [peer, log](const std::string& why) {
      std::lock_guard<std::mutex> guard{log->mtx};
      log->closed.push_back(why);
    };
    r.open_websocket(std::move(h));
  };
}

server_options quick_stop() {
  server_options opts;
  opts.port = 0;
  opts.threads = 2;
  opts.stop_grace = std::chrono::seconds(1);
  return opts;
}

/// Opens a WebSocket on `port` and checks that it echoes, so the server's session is open.
std::unique_ptr<websocket_client> open_echoing(const blocking_client& api) {
  auto ws = websocket_client::open(api, "/ws", {});
  REQUIRE_MESSAGE(ws, why(ws));
  REQUIRE_FALSE((*ws)->send("hi"));
  auto msg = (*ws)->receive();
  REQUIRE_MESSAGE(msg, why(msg));
  REQUIRE(*msg);
  CHECK((*msg)->data == "echo: hi");
  return std::move(*ws);
}

/// A server whose owner keeps its WebSockets, with one client's WebSocket open on it.
struct one_open_websocket {
  std::shared_ptr<owner_log> log = std::make_shared<owner_log>();
  std::unique_ptr<server> srv = std::make_unique<server>(quick_stop(), keeping_owner(log));
  std::optional<blocking_client> api;
  std::unique_ptr<websocket_client> ws;

  one_open_websocket() {
    auto port = srv->start();
    REQUIRE_MESSAGE(port, why(port));
    auto made = blocking_client::make("http://127.0.0.1:" + std::to_string(*port));
    REQUIRE(made);
    api.emplace(std::move(*made));
    ws = open_echoing(*api);
  }
};

} // namespace

TEST_CASE("http server: a stop closes its WebSockets saying so and frees those their owner "
          "keeps") {
  one_open_websocket rig;
  auto& log = rig.log;
  auto& srv = rig.srv;
  auto& ws = rig.ws;

  // The client reads while the server stops, so it answers the server's close frame.
  std::thread stopper{[&srv] { srv->stop(); }};
  auto end = ws->receive();
  stopper.join();
  REQUIRE_MESSAGE(end, why(end));
  CHECK_FALSE(*end);
  CHECK(ws->close_reason() == "the server stopped");
  srv.reset();
  CHECK(log->closes().size() == 1);
  std::lock_guard<std::mutex> guard{log->mtx};
  CHECK(log->session.expired());
}

TEST_CASE("http server: a WebSocket client that does not answer the stop is ended after the "
          "grace and its session freed") {
  one_open_websocket rig;
  auto& log = rig.log;
  auto& srv = rig.srv;

  // The client stays open and nobody reads on its side: the close frame is never answered.
  srv.reset();
  CHECK(log->closes() == std::vector<std::string>{"the server stopped"});
  std::lock_guard<std::mutex> guard{log->mtx};
  CHECK(log->session.expired());
}
