#pragma once

/// A WebSocket client for command-line tools (baikalctl) and tests, on a blocking_client's
/// address. Blocking calls for simple exchanges; the io_context and async calls for a caller
/// that waits on other things at once (a terminal's keyboard and window).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <caf/expected.hpp>

#include "runtime/http/client.hpp"

namespace baikal::http {

/// One message from the server.
struct websocket_message {
  std::string data;
  bool binary = false;
};

class websocket_client {
public:
  /// Connects and upgrades `target` (path and query under the API's prefix) with `headers`.
  /// A refused upgrade answers the error the server's JSON names (not_found, forbidden, ...).
  static caf::expected<std::unique_ptr<websocket_client>>
  open(const blocking_client& api, const std::string& target,
       const std::map<std::string, std::string>& headers,
       std::chrono::seconds timeout = std::chrono::seconds(30));

  ~websocket_client();
  websocket_client(const websocket_client&) = delete;
  websocket_client& operator=(const websocket_client&) = delete;

  caf::error send(const std::string& data, bool binary = false);
  /// The next message; nothing once the server closed the connection (close_reason() says
  /// why); an error when the connection failed.
  caf::expected<std::optional<websocket_message>> receive();
  /// Sends a close frame (and waits for the server's, briefly).
  void close();
  /// The reason in the server's close frame, once it closed.
  const std::string& close_reason() const { return close_reason_; }

  // -- for callers driving the io_context themselves (one thread) --
  boost::asio::io_context& io();
  /// Calls `done` with the next message (as receive() answers it).
  void async_receive(std::function<void(caf::expected<std::optional<websocket_message>>)> done);
  /// Queues `data`; messages are written in order.
  void async_send(std::string data, bool binary);

private:
  struct impl;
  explicit websocket_client(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
  std::string close_reason_;
};

} // namespace baikal::http
