#pragma once

/// Internals of the HTTP server: the state the server and its connections share, and one
/// connection (read a request, hand it to the handler, write the answer, repeat or stream).
/// A connection is a template on its stream, plain TCP or TLS over it. Its members are defined
/// by job in connection.cpp (accepting, answering, closing), connection_reading.cpp,
/// connection_streaming.cpp and connection_hand_over.cpp; each makes them for both streams, so
/// that only those files need OpenSSL's headers.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "runtime/http/server.hpp"

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace boost::beast {
template <class NextLayer> class ssl_stream;
} // namespace boost::beast

namespace baikal::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

class connection_base;

/// What stop() sees of a WebSocket session a connection handed its stream to. Its owner's
/// handlers often hold the session itself (to send), a cycle only the session's end breaks: a
/// session left open when the server's threads end would otherwise never be freed.
class websocket_at_stop {
public:
  virtual ~websocket_at_stop() = default;
  /// From stop(): a close frame saying the server goes away; the session ends when answered.
  virtual void post_server_stop() = 0;
  /// From stop(), once the server's threads ended: ends the session, dropping its handlers.
  virtual void end_after_stop() = 0;
};

/// The server's io_context, with its shutdown reachable: the handlers still queued when the
/// server stops hold the core that owns this context, so stop() destroys them (shutdown runs
/// no handler) while the context lives, or core and context would keep each other for ever.
class owned_io_context : public net::io_context {
public:
  using net::io_context::shutdown;
};

struct server_core {
  server_core(server_options o, request_handler h)
      : opts(std::move(o)), handler(std::move(h)), acceptor(net::make_strand(ioc)) {}

  server_options opts;
  request_handler handler;
  /// Set when the server speaks TLS: every connection then begins with a handshake.
  std::shared_ptr<net::ssl::context> tls;
  owned_io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};

  // Connections that are open; stop() visits them and waits until none is left.
  std::mutex mtx;
  std::condition_variable cv;
  std::list<std::weak_ptr<connection_base>> conns;
  size_t open = 0;
  std::map<std::string, size_t> open_by_address;

  /// Counts `c` as open; false when its address already holds the most connections allowed.
  bool opened(const std::shared_ptr<connection_base>& c, const std::string& address);
  void closed(const std::string& address);

  // WebSocket sessions that have not ended; stop() closes them and waits for them too.
  std::list<std::weak_ptr<websocket_at_stop>> websockets;
  size_t open_websockets = 0;

  void websocket_opened(const std::shared_ptr<websocket_at_stop>& ws);
  void websocket_ended();
  /// The sessions still alive, to be told of the stop outside the lock.
  std::vector<std::shared_ptr<websocket_at_stop>> live_websockets();
};

/// What responders and the server see of a connection, whatever its stream.
class connection_base {
public:
  virtual ~connection_base() = default;

  /// From any thread: posts the response to the strand.
  virtual void post_response(http_response res) = 0;
  /// From any thread: posts the start of a stream (an event stream, or a chunked body).
  /// `length` >= 0: a body of that many bytes instead (neither chunked nor an event stream).
  virtual void post_stream_start(std::string content_type, bool chunked, int64_t length = -1) = 0;
  /// `done` (may be empty) is told whether the text was written before the connection ended.
  virtual void post_stream_data(std::string text, std::function<void(bool)> done = {}) = 0;
  /// From any thread: reads the next piece of a streamed request body.
  virtual void post_body_read(size_t max_bytes, std::function<void(body_piece)> got) = 0;
  /// From any thread: writes `last` after what is queued, then closes.
  virtual void post_stream_finish(std::string last) = 0;
  virtual void post_close() = 0;
  /// From any thread: connects to the tunnel's far end, then hands the stream to a tunnel.
  virtual void post_tunnel(tunnel_request t) = 0;
  /// From any thread: accepts the request's WebSocket upgrade on a WebSocket session.
  virtual void post_websocket(websocket_handlers h) = 0;
  /// From stop(): close when idle, finish the current request otherwise.
  virtual void post_server_stop() = 0;

  bool stream_closed() const { return stream_closed_.load(); }

protected:
  std::atomic<bool> stream_closed_{false};
};

/// A request's method, target and headers as the handler sees them.
http_request head_of(const beast::http::request_header<>& msg);

/// Serves a socket just accepted: over TLS (a handshake first) when the server has a context.
void start_connection(tcp::socket sock, const std::shared_ptr<server_core>& core);

template <class Stream>
class connection : public connection_base, public std::enable_shared_from_this<connection<Stream>> {
public:
  static constexpr bool is_tls = !std::is_same_v<Stream, plain_stream>;

  connection(tcp::socket sock, std::shared_ptr<server_core> core);
  ~connection() override;

  void start();
  void post_response(http_response res) override;
  void post_stream_start(std::string content_type, bool chunked, int64_t length) override;
  void post_stream_data(std::string text, std::function<void(bool)> done) override;
  void post_body_read(size_t max_bytes, std::function<void(body_piece)> got) override;
  void post_stream_finish(std::string last) override;
  void post_close() override;
  void post_tunnel(tunnel_request t) override;
  void post_websocket(websocket_handlers h) override;
  void post_server_stop() override;

private:
  enum class phase { idle, receiving, handling, writing, streaming, draining, closed };

  std::shared_ptr<connection> shared() { return this->shared_from_this(); }
  beast::tcp_stream& lowest();
  /// The TLS handshake, bounded by header_timeout; a client that fails it is only logged.
  void handshake(bool admitted);
  void admit(bool admitted);
  void read_head();
  void read_rest_of_head();
  void on_head(beast::error_code ec);
  /// Answers `status` before the handler saw the request, then closes (after draining what
  /// the client still sends, when `drain`).
  void refuse(int status, const std::string& why, bool drain);
  void read_body(uint64_t limit);
  void on_body(beast::error_code ec);
  void dispatch();
  /// Hands the request to the handler, its body to be read as it arrives (read_body_piece).
  void dispatch_streamed(uint64_t limit);
  void hand_to_handler(http_request req);
  void read_body_piece(size_t max_bytes, std::function<void(body_piece)> got);
  void on_body_piece(beast::error_code ec, std::shared_ptr<std::string> buf,
                     const std::function<void(body_piece)>& got);
  /// A body of known length: read straight into the piece, past Beast's 64 KiB reads.
  void read_sized_piece(size_t max_bytes, std::function<void(body_piece)> got);
  void on_sized_piece(beast::error_code ec, std::shared_ptr<std::string> buf,
                      const std::function<void(body_piece)>& got);
  void write(http_response res, bool close_after);
  void on_written(beast::error_code ec, bool close_after);
  void write_stream_queue();
  /// Tells the writers of what is still queued that it will never be written.
  void drop_stream_queue();
  void watch_peer();
  void connect_tunnel(std::shared_ptr<tunnel_request> t,
                      std::chrono::steady_clock::time_point until);
  void hand_over_to_tunnel(std::shared_ptr<tunnel_request> t, tcp::socket upstream);
  /// Stops counting the connection and marks it closed: its stream now belongs to another.
  void released();
  void drain();
  void close();
  /// TLS: sends close_notify, then closes the socket (after the client's own, or a few seconds).
  void shut_down_tls();
  void close_socket();

  // First, so it goes last: the socket and the timer need the io_context the core owns.
  std::shared_ptr<server_core> core_;
  /// The strand of the connection; kept apart, as the stream is moved away on a hand-over.
  net::any_io_executor executor_;
  Stream stream_;
  bool handshaken_ = false;
  net::steady_timer head_timer_; ///< header_timeout for the head being read
  bool reading_head_ = false;
  bool head_timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  /// The request's parser once its handler reads the body as it arrives.
  std::optional<beast::http::request_parser<beast::http::buffer_body>> body_parser_;
  bool body_ended_ = false;       ///< the streamed body was read to its end
  bool continue_pending_ = false; ///< the client waits for 100 Continue before the body
  bool sized_body_ = false;       ///< the streamed body has a Content-Length
  uint64_t body_left_ = 0;        ///< its bytes not handed to the handler yet
  bool reading_body_ = false;     ///< head_timer_ bounds a read of the body
  /// The head of the request being handled when it asks for a WebSocket upgrade (the
  /// handshake answers it).
  std::optional<beast::http::request<beast::http::string_body>> upgrade_head_;
  phase phase_ = phase::idle;
  bool counted_ = false;
  bool first_request_ = true;
  std::string address_; ///< the client's address, for the per-address limit
  std::string remote_;  ///< address:port, for the handler
  bool keep_alive_ = true;
  bool stream_writing_ = false;
  struct queued_text {
    std::string text;
    std::function<void(bool)> done;
  };
  std::deque<queued_text> stream_queue_;
  bool stream_finishing_ = false; ///< close once the queue is written
  char peer_byte_ = 0;
  uint64_t limit_ = 0;
  bool drain_before_close_ = false;
  uint64_t drained_ = 0;
};

struct responder_state {
  explicit responder_state(std::shared_ptr<connection_base> c) : conn(std::move(c)) {}
  std::shared_ptr<connection_base> conn;
  std::atomic<bool> used{false};
};

} // namespace baikal::http::detail
