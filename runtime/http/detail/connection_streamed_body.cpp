// A request body its handler reads as it arrives (server_options::stream_body): after the head,
// the string-body parser becomes a buffer-body parser and the handler gets the request with an
// empty body. Each responder::read_body reads at most the size asked into a buffer of its own
// and hands it over; nothing is read between two calls, so a slow handler holds back the
// client through TCP flow control instead of the server buffering the body. A body with a
// Content-Length is read straight from the socket (Beast reads 64 KiB at a time, each read with
// a timer of its own: for uploads of GiB that was most of the manager's CPU); a chunked one
// goes through the parser.

#include <algorithm>
#include <memory>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "runtime/http/detail/connection.hpp"

namespace baikal::http::detail {

namespace bhttp = beast::http;

namespace {

body_piece broken(std::string why, bool too_large = false) {
  body_piece p;
  p.error = std::move(why);
  p.too_large = too_large;
  return p;
}

} // namespace

template <class Stream> void connection<Stream>::dispatch_streamed(uint64_t limit) {
  phase_ = phase::handling;
  limit_ = limit;
  body_parser_.emplace(std::move(*parser_));
  parser_.reset();
  body_parser_->body_limit(limit);
  body_ended_ = body_parser_->is_done(); // no body at all
  auto length = body_parser_->content_length();
  sized_body_ = length && !body_parser_->chunked();
  body_left_ = sized_body_ ? *length : 0;
  auto& msg = body_parser_->get();
  keep_alive_ = msg.keep_alive();
  auto req = head_of(msg);
  continue_pending_ = !body_ended_ && boost::iequals(req.header("expect"), "100-continue");
  upgrade_head_.reset();
  hand_to_handler(std::move(req));
}

template <class Stream>
void connection<Stream>::post_body_read(size_t max_bytes, std::function<void(body_piece)> got) {
  net::post(executor_, [self = shared(), max_bytes, got = std::move(got)]() mutable {
    if (self->phase_ != phase::handling || !self->body_parser_)
      return got(broken("the connection ended before the request body was read"));
    if (self->body_ended_) {
      body_piece end;
      end.last = true;
      return got(std::move(end));
    }
    if (!self->continue_pending_)
      return self->read_body_piece(max_bytes, std::move(got));
    self->continue_pending_ = false;
    static const std::string cont = "HTTP/1.1 100 Continue\r\n\r\n";
    self->lowest().expires_after(self->core_->opts.idle_timeout);
    net::async_write(self->stream_, net::buffer(cont),
                     [self, max_bytes, got = std::move(got)](beast::error_code ec, size_t) mutable {
                       if (ec) {
                         self->close();
                         return got(broken("the client went away: " + ec.message()));
                       }
                       self->read_body_piece(max_bytes, std::move(got));
                     });
  });
}

template <class Stream>
void connection<Stream>::read_body_piece(size_t max_bytes, std::function<void(body_piece)> got) {
  if (sized_body_)
    return read_sized_piece(max_bytes, std::move(got));
  auto buf = std::make_shared<std::string>(std::max<size_t>(1, max_bytes), '\0');
  auto& body = body_parser_->get().body();
  body.data = buf->data();
  body.size = buf->size();
  body.more = true;
  lowest().expires_after(core_->opts.idle_timeout);
  bhttp::async_read(stream_, buffer_, *body_parser_,
                    [self = shared(), buf, got = std::move(got)](beast::error_code ec, size_t) {
                      self->on_body_piece(ec, buf, got);
                    });
}

template <class Stream>
void connection<Stream>::on_body_piece(beast::error_code ec, std::shared_ptr<std::string> buf,
                                       const std::function<void(body_piece)>& got) {
  lowest().expires_never(); // the handler's own deadline bounds the wait for the next call
  if (ec == bhttp::error::need_buffer)
    ec = {}; // the piece is full
  if (ec == bhttp::error::body_limit)
    return got(broken("the request body is larger than this route accepts (" +
                          std::to_string(limit_) + " bytes)",
                      true));
  if (ec) {
    close();
    return got(broken("the client stopped sending the request body: " + ec.message()));
  }
  buf->resize(buf->size() - body_parser_->get().body().size);
  body_ended_ = body_parser_->is_done();
  body_piece piece;
  piece.data = std::move(*buf);
  piece.last = body_ended_;
  got(std::move(piece));
}

template <class Stream>
void connection<Stream>::read_sized_piece(size_t max_bytes, std::function<void(body_piece)> got) {
  auto want = static_cast<size_t>(std::min<uint64_t>(std::max<size_t>(1, max_bytes), body_left_));
  auto buf = std::make_shared<std::string>(want, '\0');
  // What came with the head first, then the socket: a read takes all the socket holds, so a
  // piece costs a few system calls instead of one per 64 KiB.
  auto have = net::buffer_copy(net::buffer(*buf), buffer_.data());
  buffer_.consume(have);
  if (have == want)
    return on_sized_piece({}, buf, got);
  reading_body_ = true;
  head_timer_.expires_after(core_->opts.idle_timeout);
  head_timer_.async_wait([self = shared()](beast::error_code ec) {
    if (ec || !self->reading_body_)
      return;
    beast::error_code ignored;
    self->lowest().socket().cancel(ignored);
  });
  auto on_read = [self = shared(), buf, got = std::move(got)](beast::error_code ec, size_t) {
    self->reading_body_ = false;
    self->head_timer_.cancel();
    self->on_sized_piece(ec, buf, got);
  };
  auto rest = net::buffer(buf->data() + have, want - have);
  if constexpr (is_tls)
    net::async_read(stream_, rest, std::move(on_read));
  else
    net::async_read(lowest().socket(), rest, std::move(on_read));
}

template <class Stream>
void connection<Stream>::on_sized_piece(beast::error_code ec, std::shared_ptr<std::string> buf,
                                        const std::function<void(body_piece)>& got) {
  if (ec) {
    close();
    return got(broken("the client stopped sending the request body: " + ec.message()));
  }
  body_left_ -= buf->size();
  body_ended_ = body_left_ == 0;
  body_piece piece;
  piece.data = std::move(*buf);
  piece.last = body_ended_;
  got(std::move(piece));
}

template void connection<plain_stream>::dispatch_streamed(uint64_t);
template void connection<plain_stream>::post_body_read(size_t, std::function<void(body_piece)>);
template void connection<plain_stream>::read_body_piece(size_t, std::function<void(body_piece)>);
template void connection<plain_stream>::on_body_piece(beast::error_code,
                                                      std::shared_ptr<std::string>,
                                                      const std::function<void(body_piece)>&);
template void connection<plain_stream>::read_sized_piece(size_t, std::function<void(body_piece)>);
template void connection<plain_stream>::on_sized_piece(beast::error_code,
                                                       std::shared_ptr<std::string>,
                                                       const std::function<void(body_piece)>&);
template void connection<tls_stream>::read_sized_piece(size_t, std::function<void(body_piece)>);
template void connection<tls_stream>::on_sized_piece(beast::error_code,
                                                     std::shared_ptr<std::string>,
                                                     const std::function<void(body_piece)>&);
template void connection<tls_stream>::dispatch_streamed(uint64_t);
template void connection<tls_stream>::post_body_read(size_t, std::function<void(body_piece)>);
template void connection<tls_stream>::read_body_piece(size_t, std::function<void(body_piece)>);
template void connection<tls_stream>::on_body_piece(beast::error_code, std::shared_ptr<std::string>,
                                                    const std::function<void(body_piece)>&);

} // namespace baikal::http::detail
