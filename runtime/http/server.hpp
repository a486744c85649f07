#pragma once

/// A small HTTP/1.1 server (Boost.Beast) on its own Asio threads.
///
/// The server parses a request, applying a body limit chosen per request from its head (a body
/// over the limit is answered by `options.too_large` and the connection closed) and limits on
/// the head's size, the target's length, the time the head takes to arrive and the connections
/// per client address (answered by `options.refuse`, then closed), and hands it to
/// the handler together with a `responder`. The handler may answer later from any thread: the
/// responder posts the response to the connection's strand, so no Asio thread ever waits for
/// the handler's work. A responder can instead open a server-sent-event stream.
///
/// With `options.tls` every connection is TLS 1.2 or later (Beast's ssl_stream over OpenSSL):
/// the handshake comes first, within header_timeout, and closing sends close_notify. Streams,
/// tunnels and WebSockets work the same over either.
///
/// `stop()` is graceful: it stops accepting, closes idle keep-alive connections and event
/// streams, lets requests in flight be answered (within `stop_grace`), sends each WebSocket a
/// close frame (1001, "the server stopped") and waits for its answer (at most 2 s more), then
/// joins the threads and ends the WebSockets that did not answer.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/expected.hpp>

#include "runtime/http/http_message.hpp"
#include "runtime/http/server_tls.hpp"
#include "runtime/paths/unique_fd.hpp"

namespace baikal::http {

namespace detail {
struct server_core;
struct responder_state;
} // namespace detail

/// Server-sent events, or a chunked body, towards one client.
class event_stream {
public:
  virtual ~event_stream() = default;
  /// Queues `text` (complete SSE lines); false once the client is gone or the server stops.
  virtual bool push(std::string text) = 0;
  virtual bool closed() const = 0;
  /// Ends the stream and its connection.
  virtual void close() = 0;
  /// Ends the stream once what was pushed is written (with the last chunk of a chunked body),
  /// then closes the connection.
  virtual void finish() = 0;
};

/// A response body of known length written as it is produced (a file being downloaded): the
/// producer writes the next piece once enough of the earlier ones are written, so the server
/// holds no more than the producer's window of them.
class body_writer {
public:
  virtual ~body_writer() = default;
  /// Queues `data`; `done(true)` is called on the connection's Asio thread once it is
  /// written, `done(false)` when the connection ended first. False (and no call) once the
  /// connection is gone.
  virtual bool write(std::string data, std::function<void(bool written)> done) = 0;
  /// Closes the connection once what was written is sent (the body is whole).
  virtual void finish() = 0;
  /// Cuts the connection at once: the client sees a body shorter than announced.
  virtual void abort() = 0;
};

/// One piece of a request body read as it arrives (server_options::stream_body).
struct body_piece {
  std::string data;
  bool last = false; ///< the body ends with this piece
  /// Set when the body cannot be read further: the client went away or sent something
  /// malformed, or the body grew past its limit (`too_large`). The connection then closes
  /// once the handler has answered.
  std::string error;
  bool too_large = false;
};

/// A byte tunnel from the client's connection to another server (a reverse proxy): the
/// connection connects to `host:port` (retrying a refused connect for `connect_for`, as a
/// service just started may not listen yet), sends `first_bytes` and then whatever the client
/// sends, and copies what comes back to the client, until either side closes. When no
/// connection can be made the client gets `unreachable(why)` instead.
struct tunnel_request {
  std::string host;
  uint16_t port = 0;
  std::string first_bytes;
  std::chrono::milliseconds connect_for{5000};
  std::function<http_response(const std::string& why)> unreachable;
  /// Called once the tunnel is open (may be empty).
  std::function<void()> connected;
};

/// One WebSocket connection after its upgrade. Every method is thread-safe and may be called
/// after the connection ended (it then does nothing).
class websocket {
public:
  virtual ~websocket() = default;
  virtual void send_text(std::string text) = 0;
  virtual void send_binary(std::string bytes) = 0;
  /// Sends what is queued, then a close frame with `reason` (at most 123 bytes).
  virtual void close(std::string reason = {}) = 0;
  /// Bytes queued and not yet written: a sender producing faster than the client reads
  /// waits while this is large.
  virtual size_t queued_bytes() const = 0;
};

/// What a WebSocket connection tells its owner. Each callback runs on the connection's Asio
/// thread and must not block.
struct websocket_handlers {
  /// The handshake succeeded; the owner keeps the websocket to send.
  std::function<void(std::shared_ptr<websocket>)> opened;
  /// One whole message from the client.
  std::function<void(std::string data, bool binary)> received;
  /// The connection ended (closed by either side, failed, or the handshake failed); called
  /// once, last.
  std::function<void(const std::string& why)> closed;
  /// A larger message from the client closes the connection (close code 1009).
  size_t max_message_bytes = 1024 * 1024;
  /// Answered in `Sec-WebSocket-Protocol` when the client offered it (a browser that offers
  /// subprotocols refuses a handshake that chooses none); empty: none is answered.
  std::string subprotocol;
};

/// Answers one request, once. Copies share the same request; every method is thread-safe.
class responder {
public:
  responder() = default;
  explicit responder(std::shared_ptr<detail::responder_state> state) : state_(std::move(state)) {}

  /// Sends `res`; calls after the first (and calls on a default-made responder) do nothing.
  void send(http_response res) const;

  /// Answers 200 `text/event-stream` and keeps the connection open for events.
  std::shared_ptr<event_stream> open_event_stream() const;

  /// For a request whose body is streamed: reads its next piece (at most `max_bytes`) and
  /// calls `got` once, on the connection's Asio thread. Nothing more of the body is read
  /// until the next call, so a handler that takes its time slows the client down (TCP flow
  /// control) instead of filling memory. A client that expects 100 Continue gets it with the
  /// first call: a handler that refuses the request first spares the client the body.
  void read_body(size_t max_bytes, std::function<void(body_piece)> got) const;

  /// Answers 200 with `content_type` and a body of `length` bytes written as it comes.
  std::shared_ptr<body_writer> open_body(std::string content_type, uint64_t length) const;

  /// Answers 200 with `content_type` and a chunked body whose pieces are pushed as they come
  /// (a log being followed); `finish()` ends the body.
  std::shared_ptr<event_stream> open_chunked_stream(std::string content_type) const;

  /// Hands the connection over to a tunnel (see tunnel_request). Tunnels are not counted
  /// against the per-address limit, and stop() ends them without waiting.
  void open_tunnel(tunnel_request t) const;

  /// Accepts the request's WebSocket upgrade (the handler checked is_websocket_upgrade) and
  /// hands the connection to a WebSocket session. Like tunnels, WebSockets are not counted
  /// against the per-address limit, and stop() ends them without waiting.
  void open_websocket(websocket_handlers h) const;

private:
  std::shared_ptr<detail::responder_state> state_;
};

using request_handler = std::function<void(http_request, responder)>;

struct server_options {
  std::string host = "127.0.0.1";
  uint16_t port = 8090; ///< 0 picks a free port
  int threads = 1;
  /// The body limit for a request, from its head (body still empty). Default: 1 MiB.
  std::function<uint64_t(const http_request&)> body_limit;
  /// Whether the handler reads the request's body itself as it arrives (responder::read_body)
  /// instead of receiving it whole; asked with the head. Default: never.
  std::function<bool(const http_request&)> stream_body;
  /// The answer to a body over its limit. Default: a 413 with a short JSON error.
  std::function<http_response(uint64_t limit)> too_large;
  /// The answer to a request refused before it reaches the handler: 400 (not HTTP), 408 (its
  /// head came too slowly), 414 (target too long), 429 (too many connections from its
  /// address), 431 (head too large). Default: the status with a short JSON error.
  std::function<http_response(int status, const std::string& why)> refuse;
  /// How long a keep-alive connection may sit idle, and a write or a body read may take.
  std::chrono::seconds idle_timeout{60};
  /// How long a request's head (request line and headers) may take to arrive, counted from
  /// its first byte, or from the connection's start for its first request. A client that
  /// trickles it is answered 408 and cut, so a slow client holds a connection only this long.
  std::chrono::seconds header_timeout{10};
  /// A head larger than this answers 431 (414 when the request line alone is that large).
  size_t max_header_bytes = 16 * 1024;
  /// A request target (path and query) longer than this answers 414.
  size_t max_target_bytes = 8 * 1024;
  /// Connections one client address may hold open at once; one more is answered 429.
  size_t max_connections_per_address = 64;
  /// How long stop() waits for requests in flight.
  std::chrono::seconds stop_grace{60};
  /// When enabled, every connection speaks TLS (1.2 or later), its handshake bounded by
  /// header_timeout; start() fails on files that do not load.
  server_tls tls;
};

class server {
public:
  server(server_options opts, request_handler handler);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds, listens and starts the threads; answers the bound port. Given `listener`, a
  /// listening socket another server handed over (hand_over_listener), serves on it instead.
  caf::expected<uint16_t> start(unique_fd listener = {});

  /// Graceful stop; safe to call twice.
  void stop();

  /// The graceful stop, keeping the listening socket open for the next server on the same port:
  /// clients that connect until that one starts wait in the socket's backlog instead of being
  /// refused (a standby manager that takes the lead swaps its API this way). Nothing when the
  /// server is not running.
  unique_fd hand_over_listener();

  uint16_t port() const { return port_; }

private:
  std::shared_ptr<detail::server_core> core_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool running_ = false;
};

} // namespace baikal::http
