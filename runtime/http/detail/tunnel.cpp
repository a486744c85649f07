#include "runtime/http/detail/tunnel.hpp"

#include <type_traits>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace baikal::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
using error_code = boost::system::error_code;

namespace {

template <class Stream> constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

/// The client ended its sending: a TCP end of file, or a TLS close_notify (or a TLS stream
/// cut without one, which is all the same to a tunnel).
bool client_ended(const error_code& e) {
  return e == net::error::eof || e == net::ssl::error::stream_truncated;
}

} // namespace

template <class Stream>
tunnel<Stream>::tunnel(Stream client, tcp::socket upstream, std::string to_upstream)
    : client_(std::move(client)), upstream_(std::move(upstream)),
      shutdown_timer_(upstream_.get_executor()), first_(std::move(to_upstream)) {}

template <class Stream> void tunnel<Stream>::start() {
  error_code ec;
  // A peer that vanished without a word (a dead host) is found by the kernel's keep-alive.
  beast::get_lowest_layer(client_).socket().set_option(net::socket_base::keep_alive(true), ec);
  upstream_.set_option(net::socket_base::keep_alive(true), ec);
  net::async_write(upstream_, net::buffer(first_), [self = shared()](error_code e, size_t) {
    self->first_.clear();
    self->first_.shrink_to_fit();
    if (e)
      return self->fail();
    self->pump_up();
    self->pump_down();
  });
}

template <class Stream> void tunnel<Stream>::pump_up() {
  client_.async_read_some(net::buffer(up_buf_), [self = shared()](error_code e, size_t n) {
    if (client_ended(e))
      return self->client_finished();
    if (e)
      return self->fail();
    net::async_write(self->upstream_, net::buffer(self->up_buf_.data(), n),
                     [self](error_code e2, size_t) {
                       if (e2)
                         return self->fail();
                       self->pump_up();
                     });
  });
}

template <class Stream> void tunnel<Stream>::pump_down() {
  upstream_.async_read_some(net::buffer(down_buf_), [self = shared()](error_code e, size_t n) {
    if (e == net::error::eof)
      return self->upstream_finished();
    if (e)
      return self->fail();
    net::async_write(self->client_, net::buffer(self->down_buf_.data(), n),
                     [self](error_code e2, size_t) {
                       if (e2)
                         return self->fail();
                       self->pump_down();
                     });
  });
}

template <class Stream> void tunnel<Stream>::client_finished() {
  error_code ec;
  upstream_.shutdown(tcp::socket::shutdown_send, ec);
}

template <class Stream> void tunnel<Stream>::upstream_finished() {
  // The upstream's end is the answer's end (a plain request asked it to close) or the end of
  // the WebSocket: nothing more can pass. A client that only half-closes may still read.
  end();
}

template <class Stream> void tunnel<Stream>::end() {
  if constexpr (is_tls<Stream>) {
    shutdown_timer_.expires_after(std::chrono::seconds(5));
    shutdown_timer_.async_wait([self = shared()](error_code e) {
      if (!e)
        self->fail();
    });
    client_.async_shutdown([self = shared()](error_code) {
      self->shutdown_timer_.cancel();
      self->fail();
    });
  } else {
    fail();
  }
}

template <class Stream> void tunnel<Stream>::fail() {
  error_code ec;
  auto& client = beast::get_lowest_layer(client_).socket();
  client.shutdown(tcp::socket::shutdown_both, ec);
  client.close(ec);
  upstream_.shutdown(tcp::socket::shutdown_both, ec);
  upstream_.close(ec);
}

template class tunnel<beast::tcp_stream>;
template class tunnel<beast::ssl_stream<beast::tcp_stream>>;

} // namespace baikal::http::detail
