// A connection handing its stream over: to a tunnel joined to an upstream socket (connected
// first, retried while refused), or to a WebSocket session that answers the upgrade. From then
// on the connection no longer counts as open, and the stream belongs to the other.

#include <chrono>
#include <memory>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "runtime/http/detail/connection.hpp"
#include "runtime/http/detail/tunnel.hpp"
#include "runtime/http/detail/websocket_session.hpp"

namespace baikal::http::detail {

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
    auto session = std::make_shared<websocket_session<Stream>>(std::move(self->stream_),
                                                               std::move(h), self->core_);
    self->released();
    self->core_->websocket_opened(session);
    session->accept(std::move(head));
    // A stop that already listed the open sessions did not see this one.
    if (self->core_->stopping)
      session->post_server_stop();
  });
}

template void connection<plain_stream>::post_tunnel(tunnel_request);
template void connection<plain_stream>::connect_tunnel(std::shared_ptr<tunnel_request>,
                                                       std::chrono::steady_clock::time_point);
template void connection<plain_stream>::hand_over_to_tunnel(std::shared_ptr<tunnel_request>,
                                                            tcp::socket);
template void connection<plain_stream>::released();
template void connection<plain_stream>::post_websocket(websocket_handlers);
template void connection<tls_stream>::post_tunnel(tunnel_request);
template void connection<tls_stream>::connect_tunnel(std::shared_ptr<tunnel_request>,
                                                     std::chrono::steady_clock::time_point);
template void connection<tls_stream>::hand_over_to_tunnel(std::shared_ptr<tunnel_request>,
                                                          tcp::socket);
template void connection<tls_stream>::released();
template void connection<tls_stream>::post_websocket(websocket_handlers);

} // namespace baikal::http::detail
