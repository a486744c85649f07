#include "runtime/http/detail/tunnel.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

namespace baikal::http::detail {

namespace net = boost::asio;
using error_code = boost::system::error_code;

tunnel::tunnel(tcp::socket client, tcp::socket upstream, std::string to_upstream)
    : client_(std::move(client)), upstream_(std::move(upstream)), first_(std::move(to_upstream)) {}

void tunnel::start() {
  error_code ec;
  // A peer that vanished without a word (a dead host) is found by the kernel's keep-alive.
  client_.set_option(net::socket_base::keep_alive(true), ec);
  upstream_.set_option(net::socket_base::keep_alive(true), ec);
  net::async_write(upstream_, net::buffer(first_),
                   [self = shared_from_this()](error_code e, size_t) {
                     self->first_.clear();
                     self->first_.shrink_to_fit();
                     if (e)
                       return self->fail();
                     self->pump(self->up_);
                     self->pump(self->down_);
                   });
}

void tunnel::pump(direction& d) {
  d.from->async_read_some(
      net::buffer(d.buf), [self = shared_from_this(), &d](error_code e, size_t n) {
        if (e == net::error::eof)
          return self->finished(d);
        if (e)
          return self->fail();
        net::async_write(*d.to, net::buffer(d.buf.data(), n), [self, &d](error_code e2, size_t) {
          if (e2)
            return self->fail();
          self->pump(d);
        });
      });
}

void tunnel::finished(direction& d) {
  d.done = true;
  error_code ec;
  d.to->shutdown(tcp::socket::shutdown_send, ec);
  // The upstream's end is the answer's end (a plain request asked it to close) or the end of
  // the WebSocket: nothing more can pass. A client that only half-closes may still read.
  if (down_.done)
    fail();
}

void tunnel::fail() {
  error_code ec;
  client_.shutdown(tcp::socket::shutdown_both, ec);
  client_.close(ec);
  upstream_.shutdown(tcp::socket::shutdown_both, ec);
  upstream_.close(ec);
}

} // namespace baikal::http::detail
