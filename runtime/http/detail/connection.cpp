#include "runtime/http/detail/connection.hpp"

#include <array>
#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

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

void server_core::websocket_opened(const std::shared_ptr<websocket_at_stop>& ws) {
  std::lock_guard<std::mutex> guard{mtx};
  websockets.remove_if([](const std::weak_ptr<websocket_at_stop>& w) { return w.expired(); });
  websockets.push_back(ws);
  ++open_websockets;
}

void server_core::websocket_ended() {
  std::lock_guard<std::mutex> guard{mtx};
  --open_websockets;
  cv.notify_all();
}

std::vector<std::shared_ptr<websocket_at_stop>> server_core::live_websockets() {
  std::vector<std::shared_ptr<websocket_at_stop>> out;
  std::lock_guard<std::mutex> guard{mtx};
  for (auto& w : websockets)
    if (auto ws = w.lock())
      out.push_back(std::move(ws));
  return out;
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

// -- answering -----------------------------------------------------------------------------------

template <class Stream>
void connection<Stream>::refuse(int status, const std::string& why, bool drain) {
  drain_before_close_ = drain;
  write(core_->opts.refuse(status, why), true);
}

template <class Stream> void connection<Stream>::post_response(http_response res) {
  net::post(executor_, [self = shared(), res = std::move(res)]() mutable {
    if (self->phase_ != phase::handling)
      return;
    // A streamed body the handler did not read to its end is still coming: drain it, so the
    // client sees the answer, and close.
    bool unread = self->body_parser_ && !self->body_ended_;
    if (unread)
      self->drain_before_close_ = true;
    self->write(std::move(res), unread || !self->keep_alive_ || self->core_->stopping);
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
  drop_stream_queue();
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

// The members defined in this file; connection_reading.cpp, connection_streaming.cpp and
// connection_hand_over.cpp make the others for both streams.
template class connection<plain_stream>;
template class connection<tls_stream>;

} // namespace baikal::http::detail
