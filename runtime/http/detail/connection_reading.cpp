// How a connection reads a request: its head within header_timeout and the size limits (each
// broken limit answered with its own status), its body after an optional 100 Continue, then the
// request handed to the server's handler.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "runtime/http/detail/connection.hpp"
#include "runtime/http/target.hpp"

namespace baikal::http::detail {

namespace bhttp = beast::http;

template <class Stream> void connection<Stream>::read_head() {
  phase_ = phase::idle;
  body_parser_.reset();
  body_ended_ = false;
  continue_pending_ = false;
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

http_request head_of(const bhttp::request_header<>& msg) {
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

namespace {

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
  if (core_->opts.stream_body && core_->opts.stream_body(head))
    return dispatch_streamed(limit);
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
  hand_to_handler(std::move(req));
}

template <class Stream> void connection<Stream>::hand_to_handler(http_request req) {
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

template void connection<plain_stream>::read_head();
template void connection<plain_stream>::read_rest_of_head();
template void connection<plain_stream>::on_head(beast::error_code);
template void connection<plain_stream>::read_body(uint64_t);
template void connection<plain_stream>::on_body(beast::error_code);
template void connection<plain_stream>::dispatch();
template void connection<plain_stream>::hand_to_handler(http_request);
template void connection<tls_stream>::read_head();
template void connection<tls_stream>::read_rest_of_head();
template void connection<tls_stream>::on_head(beast::error_code);
template void connection<tls_stream>::read_body(uint64_t);
template void connection<tls_stream>::on_body(beast::error_code);
template void connection<tls_stream>::dispatch();
template void connection<tls_stream>::hand_to_handler(http_request);

} // namespace baikal::http::detail
