// A request body its handler reads as it arrives (server_options::stream_body): after the head,
// the string-body parser becomes a buffer-body parser and the handler gets the request with an
// empty body. Each responder::read_body reads at most the size asked into a buffer of its own
// and hands it over; nothing is read between two calls, so a slow handler holds back the
// client through TCP flow control instead of the server buffering the body.

#include <algorithm>
#include <memory>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
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

template void connection<plain_stream>::dispatch_streamed(uint64_t);
template void connection<plain_stream>::post_body_read(size_t, std::function<void(body_piece)>);
template void connection<plain_stream>::read_body_piece(size_t, std::function<void(body_piece)>);
template void connection<plain_stream>::on_body_piece(beast::error_code,
                                                      std::shared_ptr<std::string>,
                                                      const std::function<void(body_piece)>&);
template void connection<tls_stream>::dispatch_streamed(uint64_t);
template void connection<tls_stream>::post_body_read(size_t, std::function<void(body_piece)>);
template void connection<tls_stream>::read_body_piece(size_t, std::function<void(body_piece)>);
template void connection<tls_stream>::on_body_piece(beast::error_code, std::shared_ptr<std::string>,
                                                    const std::function<void(body_piece)>&);

} // namespace baikal::http::detail
