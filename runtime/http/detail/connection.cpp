#include "runtime/http/detail/connection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "runtime/http/detail/tunnel.hpp"
#include "runtime/http/detail/websocket_session.hpp"
#include "runtime/http/target.hpp"
#include "runtime/logging/log.hpp"

namespace baikal::http::detail {

namespace bhttp = beast::http;

// -- server_core ---------------------------------------------------------------------------------

bool server_core::opened(const std::shared_ptr<connection_base>& c, const std::string& address) {
  std::lock_guard<std::mutex> guard{mtx};
  conns.remove_if([](const std::weak_ptr<connection_base>& w) { return w.expired(); });
  conns.push_back(c);
  ++open;
  return ++open_by_address[address] <= opts.max_connections_per_address;
}

void server_core::closed(const std::string& address) {
  std::lock_guard<std::mutex> guard{mtx};
  --open;
  if (auto i = open_by_address.find(address); i != open_by_address.end() && --i->second == 0)
    open_by_address.erase(i);
  cv.notify_all();
}

// -- connection ----------------------------------------------------------------------------------

namespace {

template <class Stream> Stream open_stream(tcp::socket& sock, server_core& core) {
  if constexpr (std::is_same_v<Stream, plain_stream>)
    return Stream{std::move(sock)};
  else
    return Stream{std::move(sock), *core.tls};
}

} // namespace

void start_connection(tcp::socket sock, const std::shared_ptr<server_core>& core) {
  if (core->tls)
    std::make_shared<connection<tls_stream>>(std::move(sock), core)->start();
  else
    std::make_shared<connection<plain_stream>>(std::move(sock), core)->start();
}

template <class Stream> beast::tcp_stream& connection<Stream>::lowest() {
  return beast::get_lowest_layer(stream_);
}

template <class Stream>
connection<Stream>::connection(tcp::socket sock, std::shared_ptr<server_core> core)
    : core_(std::move(core)), executor_(sock.get_executor()),
      stream_(open_stream<Stream>(sock, *core_)), head_timer_(executor_) {}

template <class Stream> connection<Stream>::~connection() {
  // A handler that dropped its responder without answering leaves the connection here.
  if (counted_)
    core_->closed(address_);
}

template <class Stream> void connection<Stream>::start() {
  beast::error_code ec;
  auto ep = lowest().socket().remote_endpoint(ec);
  if (!ec) {
    address_ = ep.address().to_string();
    remote_ = address_ + ":" + std::to_string(ep.port());
  }
  counted_ = true;
  bool admitted = core_->opened(shared(), address_);
  net::dispatch(executor_, [self = shared(), admitted] {
    if (self->core_->stopping)
      return self->close();
    if constexpr (is_tls)
      self->handshake(admitted);
    else
      self->admit(admitted);
  });
}

template <class Stream> void connection<Stream>::handshake(bool admitted) {
  if constexpr (is_tls) {
    lowest().expires_after(core_->opts.header_timeout);
    stream_.async_handshake(net::ssl::stream_base::server, [self = shared(),
                                                            admitted](beast::error_code ec) {
      if (ec) {
        // A scanner, a plain-HTTP client or one that does not trust
        // the certificate: the client's business, not the server's.
        log::get("http")->debug("TLS handshake with {} failed: {}", self->remote_, ec.message());
        return self->close();
      }
      self->handshaken_ = true;
      self->admit(admitted);
    });
  }
}

template <class Stream> void connection<Stream>::admit(bool admitted) {
  if (!admitted)
    return refuse(429,
                  "this client address already holds " +
                      std::to_string(core_->opts.max_connections_per_address) +
                      " connections to the server, the most it accepts",
                  true);
  read_head();
}

template <class Stream> void connection<Stream>::read_head() {
  phase_ = phase::idle;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(core_->opts.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  // The real limit is chosen from the head (on_head); Beast would otherwise refuse a large
  // Content-Length against its 1 MiB default while still reading the head.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  if (first_request_ || buffer_.size() > 0) {
    // A new client sends its request at once; a pipelined one is already here.
    first_request_ = false;
    return read_rest_of_head();
  }
  // A keep-alive connection may wait idle for its next request; its head then has
  // header_timeout from its first byte.
  lowest().expires_after(core_->opts.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096), [self = shared()](beast::error_code ec, size_t n) {
    if (ec)
      return self->close();
    self->buffer_.commit(n);
    self->read_rest_of_head();
  });
}

template <class Stream> void connection<Stream>::read_rest_of_head() {
  // Beast's own expiry would close the socket, leaving no way to answer 408: a timer of ours
  // cancels the read instead.
  lowest().expires_never();
  reading_head_ = true;
  head_timed_out_ = false;
  head_timer_.expires_after(core_->opts.header_timeout);
  head_timer_.async_wait([self = shared()](beast::error_code ec) {
    if (ec || !self->reading_head_)
      return;
    self->head_timed_out_ = true;
    beast::error_code ignored;
    self->lowest().socket().cancel(ignored);
  });
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared()](beast::error_code ec, size_t) {
                             self->reading_head_ = false;
                             self->head_timer_.cancel();
                             self->on_head(ec);
                           });
}

template <class Stream>
void connection<Stream>::refuse(int status, const std::string& why, bool drain) {
  drain_before_close_ = drain;
  write(core_->opts.refuse(status, why), true);
}

namespace {

http_request head_of(const bhttp::request<bhttp::string_body>& msg) {
  http_request req;
  req.method = std::string{msg.method_string()};
  req.target = std::string{msg.target()};
  for (auto& field : msg) {
    std::string name{field.name_string()};
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string{field.value()};
  }
  return req;
}

std::string target_too_long(size_t max) {
  return "the request target (path and query) is longer than " + std::to_string(max) + " bytes";
}

} // namespace

template <class Stream> void connection<Stream>::on_head(beast::error_code ec) {
  if (ec == net::error::operation_aborted && head_timed_out_ && !core_->stopping &&
      (buffer_.size() > 0 || parser_->got_some()))
    return refuse(408,
                  "the request head did not arrive within " +
                      std::to_string(core_->opts.header_timeout.count()) + " s",
                  true);
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::eof || ec == net::error::connection_reset)
    return close();
  if (ec == bhttp::error::header_limit) {
    // Beast consumes the request line once it is whole: no target yet means the request
    // line alone did not fit.
    auto target = parser_->get().target();
    if (target.empty() || target.size() > core_->opts.max_target_bytes)
      return refuse(414, target_too_long(core_->opts.max_target_bytes), true);
    return refuse(431,
                  "the request head is larger than " +
                      std::to_string(core_->opts.max_header_bytes) + " bytes",
                  true);
  }
  if (ec == bhttp::error::body_limit)
    return write(core_->opts.too_large(core_->opts.body_limit(head_of(parser_->get()))), true);
  if (ec)
    return refuse(400, "malformed HTTP request: " + ec.message(), true);
  if (parser_->get().target().size() > core_->opts.max_target_bytes)
    return refuse(414, target_too_long(core_->opts.max_target_bytes), true);
  phase_ = phase::receiving;
  auto head = head_of(parser_->get());
  uint64_t limit = core_->opts.body_limit(head);
  auto length = parser_->content_length();
  if (length && *length > limit) {
    drain_before_close_ = true; // the body stays unread: drain it so the client sees the 413
    return write(core_->opts.too_large(limit), true);
  }
  if (boost::iequals(head.header("expect"), "100-continue")) {
    static const std::string cont = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(cont),
                     [self = shared(), limit](beast::error_code ec2, size_t) {
                       if (ec2)
                         return self->close();
                       self->read_body(limit);
                     });
    return;
  }
  read_body(limit);
}

template <class Stream> void connection<Stream>::read_body(uint64_t limit) {
  limit_ = limit;
  parser_->body_limit(limit);
  lowest().expires_after(core_->opts.idle_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared()](beast::error_code ec, size_t) { self->on_body(ec); });
}

template <class Stream> void connection<Stream>::on_body(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    drain_before_close_ = true;
    return write(core_->opts.too_large(limit_), true);
  }
  if (ec == net::error::operation_aborted || ec == beast::error::timeout || ec == net::error::eof ||
      ec == bhttp::error::end_of_stream || ec == net::error::connection_reset)
    return close();
  if (ec)
    return refuse(400, "malformed HTTP request: " + ec.message(), true);
  dispatch();
}

template <class Stream> void connection<Stream>::dispatch() {
  phase_ = phase::handling;
  auto msg = parser_->release();
  keep_alive_ = msg.keep_alive();
  auto req = head_of(msg);
  upgrade_head_.reset();
  if (beast::websocket::is_upgrade(msg))
    upgrade_head_.emplace(msg.base());
  req.body = std::move(msg.body());
  req.remote = remote_;
  auto split = parse_target(req.target);
  if (!split)
    return refuse(400, "malformed HTTP request: the request target has a malformed %-escape",
                  false);
  req.path = std::move(split->path);
  req.query = std::move(split->query);
  lowest().expires_never(); // the handler's own deadline bounds the wait
  core_->handler(std::move(req), responder{std::make_shared<responder_state>(shared())});
}

template <class Stream> void connection<Stream>::post_response(http_response res) {
  net::post(executor_, [self = shared(), res = std::move(res)]() mutable {
    if (self->phase_ != phase::handling)
      return;
    self->write(std::move(res), !self->keep_alive_ || self->core_->stopping);
  });
}

template <class Stream> void connection<Stream>::write(http_response res, bool close_after) {
  phase_ = phase::writing;
  auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
  msg->version(11);
  msg->result(static_cast<unsigned>(res.status));
  msg->set(bhttp::field::server, "baikal");
  msg->set(bhttp::field::content_type, res.content_type);
  for (auto& [name, value] : res.headers)
    msg->set(name, value);
  msg->keep_alive(!close_after);
  msg->body() = std::move(res.body);
  msg->prepare_payload();
  lowest().expires_after(core_->opts.idle_timeout);
  bhttp::async_write(stream_, *msg,
                     [self = shared(), msg, close_after](beast::error_code ec, size_t) {
                       self->on_written(ec, close_after);
                     });
}

template <class Stream>
void connection<Stream>::on_written(beast::error_code ec, bool close_after) {
  if (!ec && close_after && drain_before_close_)
    return drain();
  if (ec || close_after || core_->stopping)
    return close();
  read_head();
}

template <class Stream> void connection<Stream>::drain() {
  // Closing with unread bytes would reset the connection and could discard the answer before
  // the client reads it: read (and drop) what the client still sends, for a bounded while.
  if (phase_ != phase::draining) {
    phase_ = phase::draining;
    beast::error_code ec;
    // Over TLS the end of sending is close_notify, sent by close() once draining ends.
    if constexpr (!is_tls)
      lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().expires_after(std::chrono::seconds(5));
  }
  auto buf = std::make_shared<std::array<char, 16384>>();
  stream_.async_read_some(net::buffer(*buf),
                          [self = shared(), buf](beast::error_code ec, size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > (uint64_t{256} << 20))
                              return self->close();
                            self->drain();
                          });
}

// -- event streams -------------------------------------------------------------------------------

template <class Stream>
void connection<Stream>::post_stream_start(std::string content_type, bool chunked) {
  net::post(executor_, [self = shared(), content_type, chunked] {
    if (self->phase_ != phase::handling)
      return;
    self->phase_ = phase::streaming;
    self->stream_queue_.push_front(
        "HTTP/1.1 200 OK\r\nServer: baikal\r\nContent-Type: " + content_type +
        "\r\nCache-Control: no-cache\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : "") +
        "Connection: close\r\n\r\n");
    self->write_stream_queue();
    self->watch_peer();
  });
}

template <class Stream> void connection<Stream>::post_stream_data(std::string text) {
  net::post(executor_, [self = shared(), text = std::move(text)]() mutable {
    if (self->phase_ != phase::streaming)
      return;
    self->stream_queue_.push_back(std::move(text));
    self->write_stream_queue();
  });
}

template <class Stream> void connection<Stream>::post_stream_finish(std::string last) {
  net::post(executor_, [self = shared(), last = std::move(last)]() mutable {
    if (self->phase_ != phase::streaming)
      return;
    if (!last.empty())
      self->stream_queue_.push_back(std::move(last));
    self->stream_finishing_ = true;
    self->write_stream_queue();
  });
}

template <class Stream> void connection<Stream>::write_stream_queue() {
  if (stream_writing_ || phase_ != phase::streaming)
    return;
  if (stream_queue_.empty()) {
    if (stream_finishing_)
      close();
    return;
  }
  stream_writing_ = true;
  auto text = std::make_shared<std::string>(std::move(stream_queue_.front()));
  stream_queue_.pop_front();
  lowest().expires_after(core_->opts.idle_timeout);
  net::async_write(stream_, net::buffer(*text),
                   [self = shared(), text](beast::error_code ec, size_t) {
                     self->stream_writing_ = false;
                     if (ec)
                       return self->close();
                     self->write_stream_queue();
                   });
}

template <class Stream> void connection<Stream>::watch_peer() {
  // An event-stream client sends nothing more; a read that ends means it went away.
  auto on_read = [self = shared()](beast::error_code ec, size_t) {
    if (ec)
      return self->close();
    self->watch_peer();
  };
  if constexpr (is_tls) {
    // Through TLS (the client's close_notify is a record to decrypt), with no deadline; a
    // write pending keeps its own.
    lowest().expires_never();
    stream_.async_read_some(net::buffer(&peer_byte_, 1), std::move(on_read));
  } else {
    lowest().socket().async_read_some(net::buffer(&peer_byte_, 1), std::move(on_read));
  }
}

// -- tunnels -------------------------------------------------------------------------------------

template <class Stream> void connection<Stream>::post_tunnel(tunnel_request t) {
  net::post(executor_,
            [self = shared(), t = std::make_shared<tunnel_request>(std::move(t))]() mutable {
              if (self->phase_ != phase::handling)
                return;
              auto until = std::chrono::steady_clock::now() + t->connect_for;
              self->connect_tunnel(std::move(t), until);
            });
}

template <class Stream>
void connection<Stream>::connect_tunnel(std::shared_ptr<tunnel_request> t,
                                        std::chrono::steady_clock::time_point until) {
  beast::error_code ec;
  auto addr = net::ip::make_address(t->host, ec);
  if (ec)
    return write(t->unreachable("\"" + t->host + "\" is not an IP address"), true);
  auto upstream = std::make_shared<tcp::socket>(executor_);
  upstream->async_connect(tcp::endpoint{addr, t->port}, [self = shared(), t, until,
                                                         upstream](beast::error_code e) mutable {
    if (self->phase_ != phase::handling)
      return;
    if (!e)
      return self->hand_over_to_tunnel(std::move(t), std::move(*upstream));
    if (e == net::error::connection_refused && std::chrono::steady_clock::now() < until) {
      auto timer = std::make_shared<net::steady_timer>(self->executor_);
      timer->expires_after(std::chrono::milliseconds(100));
      timer->async_wait([self, t, until, timer](beast::error_code) {
        if (self->phase_ == phase::handling)
          self->connect_tunnel(t, until);
      });
      return;
    }
    self->write(t->unreachable(t->host + ":" + std::to_string(t->port) + ": " + e.message()), true);
  });
}

template <class Stream>
void connection<Stream>::hand_over_to_tunnel(std::shared_ptr<tunnel_request> t,
                                             tcp::socket upstream) {
  // What the client sent after the request's head and body (a WebSocket client's first
  // frames) goes first, after the request itself.
  auto first = std::move(t->first_bytes);
  auto rest = buffer_.data();
  first.append(static_cast<const char*>(rest.data()), rest.size());
  buffer_.consume(buffer_.size());
  lowest().expires_never();
  head_timer_.cancel();
  if (t->connected)
    t->connected();
  auto joined =
      std::make_shared<tunnel<Stream>>(std::move(stream_), std::move(upstream), std::move(first));
  released();
  joined->start();
}

template <class Stream> void connection<Stream>::released() {
  phase_ = phase::closed;
  stream_closed_ = true;
  if (counted_) {
    counted_ = false;
    core_->closed(address_);
  }
}

// -- WebSockets ----------------------------------------------------------------------------------

template <class Stream> void connection<Stream>::post_websocket(websocket_handlers h) {
  net::post(executor_, [self = shared(), h = std::move(h)]() mutable {
    if (self->phase_ != phase::handling)
      return;
    if (!self->upgrade_head_) {
      if (h.closed)
        h.closed("the request asks for no WebSocket upgrade");
      return self->write(self->core_->opts.refuse(400, "this route takes a WebSocket upgrade"),
                         true);
    }
    // A client sends no frame before the handshake's answer (RFC 6455, 4.1), so nothing
    // buffered here belongs to the session.
    auto head = std::move(*self->upgrade_head_);
    self->upgrade_head_.reset();
    self->head_timer_.cancel();
    self->lowest().expires_never();
    auto session =
        std::make_shared<websocket_session<Stream>>(std::move(self->stream_), std::move(h));
    self->released();
    session->accept(std::move(head));
  });
}

// -- closing -------------------------------------------------------------------------------------

template <class Stream> void connection<Stream>::post_close() {
  net::post(executor_, [self = shared()] { self->close(); });
}

template <class Stream> void connection<Stream>::post_server_stop() {
  net::post(executor_, [self = shared()] {
    // A request being received, handled or written is finished first; on_written then closes.
    if (self->phase_ == phase::idle || self->phase_ == phase::streaming ||
        self->phase_ == phase::draining)
      self->close();
  });
}

template <class Stream> void connection<Stream>::close() {
  if (phase_ == phase::closed)
    return;
  phase_ = phase::closed;
  stream_closed_ = true;
  head_timer_.cancel();
  if (counted_) {
    counted_ = false;
    core_->closed(address_);
  }
  if constexpr (is_tls)
    if (handshaken_)
      return shut_down_tls();
  close_socket();
}

template <class Stream> void connection<Stream>::shut_down_tls() {
  if constexpr (is_tls) {
    // close_notify tells the client that the answer is whole. Its own close_notify ends the
    // wait; a client that sends none is cut after a few seconds (the server's stop does not
    // wait for this: the connection no longer counts).
    head_timer_.expires_after(std::chrono::seconds(5));
    head_timer_.async_wait([self = shared()](beast::error_code ec) {
      if (!ec)
        self->close_socket();
    });
    stream_.async_shutdown([self = shared()](beast::error_code) {
      self->head_timer_.cancel();
      self->close_socket();
    });
  }
}

template <class Stream> void connection<Stream>::close_socket() {
  beast::error_code ec;
  lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
  lowest().socket().close(ec);
}

template class connection<plain_stream>;
template class connection<tls_stream>;

} // namespace baikal::http::detail
