#include "runtime/http/server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>

#include "messages/errors.hpp"
#include "runtime/http/detail/connection.hpp"

namespace baikal::http {

using detail::net::ip::tcp;

// -- responder -----------------------------------------------------------------------------------

void responder::send(http_response res) const {
  if (!state_ || state_->used.exchange(true))
    return;
  state_->conn->post_response(std::move(res));
}

namespace {

class connection_stream : public event_stream {
public:
  connection_stream(std::shared_ptr<detail::connection_base> conn, bool chunked)
      : conn_(std::move(conn)), chunked_(chunked) {}

  bool push(std::string text) override {
    if (conn_->stream_closed())
      return false;
    if (text.empty())
      return true; // an empty chunk would end a chunked body
    conn_->post_stream_data(chunked_ ? chunk(text) : std::move(text));
    return true;
  }

  bool closed() const override { return conn_->stream_closed(); }

  void close() override { conn_->post_close(); }

  void finish() override { conn_->post_stream_finish(chunked_ ? "0\r\n\r\n" : ""); }

private:
  static std::string chunk(const std::string& text) {
    char size[20];
    std::snprintf(size, sizeof(size), "%zx\r\n", text.size());
    return size + text + "\r\n";
  }

  std::shared_ptr<detail::connection_base> conn_;
  bool chunked_;
};

class connection_body : public body_writer {
public:
  explicit connection_body(std::shared_ptr<detail::connection_base> conn)
      : conn_(std::move(conn)) {}

  bool write(std::string data, std::function<void(bool)> done) override {
    if (conn_->stream_closed())
      return false;
    conn_->post_stream_data(std::move(data), std::move(done));
    return true;
  }

  void finish() override { conn_->post_stream_finish(""); }

  void abort() override { conn_->post_close(); }

private:
  std::shared_ptr<detail::connection_base> conn_;
};

void accept_next(const std::shared_ptr<detail::server_core>& core) {
  core->acceptor.async_accept(
      detail::net::make_strand(core->ioc), [core](detail::beast::error_code ec, tcp::socket sock) {
        if (ec) {
          if (ec == detail::net::error::operation_aborted || !core->acceptor.is_open())
            return;
        } else {
          // Small writes (handshake records, events of a stream) go out at once instead of
          // waiting for the client's delayed acknowledgement of the last one.
          detail::beast::error_code nodelay_ec;
          sock.set_option(tcp::no_delay(true), nodelay_ec);
          detail::start_connection(std::move(sock), core);
        }
        if (!core->stopping)
          accept_next(core);
      });
}

std::string small_error(const char* code, const std::string& message) {
  // The API installs its own answers; this default keeps the same shape (the messages are
  // the server's own, without quotes or backslashes).
  return std::string{"{\"error\":\""} + code + "\",\"message\":\"" + message + "\"}";
}

} // namespace

std::shared_ptr<event_stream> responder::open_event_stream() const {
  if (!state_ || state_->used.exchange(true))
    return nullptr;
  state_->conn->post_stream_start("text/event-stream", false);
  return std::make_shared<connection_stream>(state_->conn, false);
}

std::shared_ptr<event_stream> responder::open_chunked_stream(std::string content_type) const {
  if (!state_ || state_->used.exchange(true))
    return nullptr;
  state_->conn->post_stream_start(std::move(content_type), true);
  return std::make_shared<connection_stream>(state_->conn, true);
}

void responder::read_body(size_t max_bytes, std::function<void(body_piece)> got) const {
  if (!state_) {
    body_piece none;
    none.error = "this request has no connection";
    return got(std::move(none));
  }
  state_->conn->post_body_read(max_bytes, std::move(got));
}

std::shared_ptr<body_writer> responder::open_body(std::string content_type, uint64_t length) const {
  if (!state_ || state_->used.exchange(true))
    return nullptr;
  state_->conn->post_stream_start(std::move(content_type), false, static_cast<int64_t>(length));
  return std::make_shared<connection_body>(state_->conn);
}

void responder::open_tunnel(tunnel_request t) const {
  if (!state_ || state_->used.exchange(true))
    return;
  state_->conn->post_tunnel(std::move(t));
}

void responder::open_websocket(websocket_handlers h) const {
  if (!state_ || state_->used.exchange(true))
    return;
  state_->conn->post_websocket(std::move(h));
}

// -- server --------------------------------------------------------------------------------------

server::server(server_options opts, request_handler handler) {
  if (!opts.body_limit)
    opts.body_limit = [](const http_request&) -> uint64_t { return 1024 * 1024; };
  if (!opts.too_large)
    opts.too_large = [](uint64_t limit) {
      return json_response(413,
                           small_error("invalid_argument", "the request body exceeds " +
                                                               std::to_string(limit) + " bytes"));
    };
  if (!opts.refuse)
    opts.refuse = [](int status, const std::string& why) {
      return json_response(status, small_error("invalid_argument", why));
    };
  core_ = std::make_shared<detail::server_core>(std::move(opts), std::move(handler));
}

server::~server() {
  stop();
}

caf::expected<uint16_t> server::start(unique_fd listener) {
  auto& opts = core_->opts;
  if (opts.tls.enabled()) {
    auto ctx = make_server_tls_context(opts.tls);
    if (!ctx)
      return ctx.error();
    core_->tls = std::move(*ctx);
  }
  detail::beast::error_code ec;
  auto addr = detail::net::ip::make_address(opts.host, ec);
  if (ec)
    return make_error(errc::invalid_argument,
                      "cannot listen on \"" + opts.host + "\": not an IP address");
  tcp::endpoint ep{addr, opts.port};
  auto& acc = core_->acceptor;
  if (listener) {
    acc.assign(ep.protocol(), listener.get(), ec);
    if (!ec)
      static_cast<void>(listener.release()); // the acceptor owns it now
  } else {
    acc.open(ep.protocol(), ec);
    if (!ec)
      acc.set_option(detail::net::socket_base::reuse_address(true), ec);
    if (!ec)
      acc.bind(ep, ec);
    if (!ec)
      acc.listen(detail::net::socket_base::max_listen_connections, ec);
  }
  if (ec)
    return make_error(errc::runtime_error, "cannot listen on " + opts.host + ":" +
                                               std::to_string(opts.port) + ": " + ec.message());
  port_ = acc.local_endpoint().port();
  accept_next(core_);
  running_ = true;
  for (int i = 0; i < std::max(1, opts.threads); ++i)
    threads_.emplace_back([core = core_] {
      auto guard = detail::net::make_work_guard(core->ioc);
      core->ioc.run();
    });
  return port_;
}

unique_fd server::hand_over_listener() {
  if (!running_)
    return {};
  // Released on the acceptor's own thread: its pending accept ends and the reactor forgets the
  // socket, which stays open and listening. (A duplicate descriptor would have left the socket
  // registered with this server's reactor after the acceptor closed.)
  std::promise<int> released;
  auto fd = released.get_future();
  detail::net::post(core_->acceptor.get_executor(), [core = core_, &released] {
    detail::beast::error_code ec;
    auto handle = core->acceptor.is_open() ? core->acceptor.release(ec) : -1;
    released.set_value(ec ? -1 : handle);
  });
  unique_fd kept{fd.get()};
  stop();
  return kept;
}

void server::stop() {
  if (!running_)
    return;
  running_ = false;
  auto core = core_;
  core->stopping = true;
  detail::net::post(core->acceptor.get_executor(), [core] {
    detail::beast::error_code ec;
    core->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<detail::connection_base>> live;
  {
    std::lock_guard<std::mutex> guard{core->mtx};
    for (auto& w : core->conns)
      if (auto c = w.lock())
        live.push_back(std::move(c));
  }
  for (auto& c : live)
    c->post_server_stop();
  live.clear();
  for (auto& ws : core->live_websockets())
    ws->post_server_stop();
  {
    std::unique_lock<std::mutex> guard{core->mtx};
    core->cv.wait_for(guard, core->opts.stop_grace, [&] { return core->open == 0; });
    // A WebSocket client answers the close frame at once unless it is gone or stuck (a
    // laptop asleep): such a client must not hold a restart for the whole grace.
    core->cv.wait_for(guard,
                      std::min<std::chrono::steady_clock::duration>(core->opts.stop_grace,
                                                                    std::chrono::seconds(2)),
                      [&] { return core->open_websockets == 0; });
  }
  core->ioc.stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
  // No thread runs the sessions now: those that did not answer the close end here, and drop
  // their handlers, which may hold them.
  for (auto& ws : core->live_websockets())
    ws->end_after_stop();
  // A responder the application still holds posts into the shut-down context; Asio destroys
  // such a handler instead of queueing it.
  core->ioc.shutdown();
}

} // namespace baikal::http
