#pragma once

/// The server's side of one WebSocket connection (Beast's websocket::stream), after the HTTP
/// connection handed its socket over: it answers the upgrade, reads whole messages for the
/// owner's `received`, and writes what the owner queues, one message at a time, in order. It
/// runs on the connection's strand and keeps itself alive through its pending operations. The
/// stream under it is plain TCP or TLS (websocket_session.cpp makes both).

#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "runtime/http/detail/connection.hpp"
#include "runtime/http/server.hpp"

namespace baikal::http::detail {

template <class Stream>
class websocket_session : public websocket,
                          public websocket_at_stop,
                          public std::enable_shared_from_this<websocket_session<Stream>> {
public:
  /// Counted open in `core` until it ends.
  websocket_session(Stream stream, websocket_handlers handlers, std::shared_ptr<server_core> core);
  ~websocket_session() override;

  /// Answers the upgrade request `head`; `opened` follows, or `closed` when it fails.
  void accept(boost::beast::http::request<boost::beast::http::string_body> head);

  void send_text(std::string text) override;
  void send_binary(std::string bytes) override;
  void close(std::string reason) override;
  size_t queued_bytes() const override;
  void post_server_stop() override;
  void end_after_stop() override;

private:
  struct outgoing {
    std::string data;
    bool binary = false;
  };

  std::shared_ptr<websocket_session> shared() { return this->shared_from_this(); }
  void queue(outgoing msg);
  void start_close(std::string reason, boost::beast::websocket::close_code code);
  void read_next();
  void write_next();
  void end(const std::string& why);

  // First, so it goes last: the stream needs the io_context the core owns.
  std::shared_ptr<server_core> core_;
  boost::beast::websocket::stream<Stream> ws_;
  boost::beast::flat_buffer in_;
  websocket_handlers handlers_;
  // The strand's state: touched only on the strand.
  std::deque<outgoing> out_;
  bool writing_ = false;
  bool open_ = false;
  bool ended_ = false;
  bool closing_ = false;
  std::string close_reason_;
  boost::beast::websocket::close_code close_code_ = boost::beast::websocket::close_code::normal;
  // Read from other threads by queued_bytes().
  mutable std::mutex mtx_;
  size_t queued_ = 0;
};

} // namespace baikal::http::detail
