#include "runtime/http/detail/websocket_session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace baikal::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket_ns = boost::beast::websocket;

namespace {

std::string why_ended(const beast::error_code& ec) {
  if (ec == websocket_ns::error::closed)
    return "the connection was closed";
  if (ec == beast::error::timeout)
    return "the client stopped answering";
  if (ec == websocket_ns::error::message_too_big)
    return "the client sent a message larger than the limit";
  return ec.message();
}

/// Whether the comma-separated list `offered` holds `protocol` (never an empty one).
bool offers(beast::string_view offered, const std::string& protocol) {
  if (protocol.empty())
    return false;
  while (!offered.empty()) {
    auto comma = offered.find(',');
    auto item = offered.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    if (item == protocol)
      return true;
    if (comma == beast::string_view::npos)
      break;
    offered.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace

template <class Stream>
websocket_session<Stream>::websocket_session(Stream stream, websocket_handlers handlers,
                                             std::shared_ptr<server_core> core)
    : core_(std::move(core)), ws_(std::move(stream)), handlers_(std::move(handlers)) {}

template <class Stream> websocket_session<Stream>::~websocket_session() {
  // The server's io_context went away with the session still open.
  if (!ended_ && handlers_.closed)
    handlers_.closed("the server stopped");
}

template <class Stream>
void websocket_session<Stream>::accept(beast::http::request<beast::http::string_body> head) {
  ws_.set_option(websocket_ns::stream_base::timeout::suggested(beast::role_type::server));
  auto chosen = offers(head[beast::http::field::sec_websocket_protocol], handlers_.subprotocol)
                    ? handlers_.subprotocol
                    : std::string{};
  ws_.set_option(websocket_ns::stream_base::decorator([chosen](websocket_ns::response_type& res) {
    res.set(beast::http::field::server, "baikal");
    if (!chosen.empty())
      res.set(beast::http::field::sec_websocket_protocol, chosen);
  }));
  ws_.read_message_max(handlers_.max_message_bytes);
  auto req = std::make_shared<beast::http::request<beast::http::string_body>>(std::move(head));
  ws_.async_accept(*req, [self = shared(), req](beast::error_code ec) {
    if (ec)
      return self->end("the WebSocket handshake failed: " + ec.message());
    self->open_ = true;
    if (self->handlers_.opened)
      self->handlers_.opened(self);
    self->read_next();
    self->write_next();
  });
}

template <class Stream> void websocket_session<Stream>::send_text(std::string text) {
  queue({std::move(text), false});
}

template <class Stream> void websocket_session<Stream>::send_binary(std::string bytes) {
  queue({std::move(bytes), true});
}

template <class Stream> void websocket_session<Stream>::close(std::string reason) {
  start_close(std::move(reason), websocket_ns::close_code::normal);
}

template <class Stream> void websocket_session<Stream>::post_server_stop() {
  start_close("the server stopped", websocket_ns::close_code::going_away);
}

template <class Stream> void websocket_session<Stream>::end_after_stop() {
  end("the server stopped");
}

template <class Stream>
void websocket_session<Stream>::start_close(std::string reason, websocket_ns::close_code code) {
  if (reason.size() > 123)
    reason.resize(123); // a close frame's payload holds 125 bytes, two of them the code
  net::post(ws_.get_executor(), [self = shared(), reason = std::move(reason), code]() mutable {
    if (self->ended_ || self->closing_)
      return;
    self->closing_ = true;
    self->close_reason_ = std::move(reason);
    self->close_code_ = code;
    self->write_next();
  });
}

template <class Stream> size_t websocket_session<Stream>::queued_bytes() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return queued_;
}

template <class Stream> void websocket_session<Stream>::queue(outgoing msg) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    queued_ += msg.data.size();
  }
  net::post(ws_.get_executor(), [self = shared(), msg = std::move(msg)]() mutable {
    if (self->ended_ || self->closing_) {
      std::lock_guard<std::mutex> guard{self->mtx_};
      self->queued_ -= msg.data.size();
      return;
    }
    self->out_.push_back(std::move(msg));
    self->write_next();
  });
}

template <class Stream> void websocket_session<Stream>::read_next() {
  ws_.async_read(in_, [self = shared()](beast::error_code ec, size_t) {
    if (ec)
      return self->end(why_ended(ec));
    auto data = beast::buffers_to_string(self->in_.data());
    self->in_.consume(self->in_.size());
    if (self->handlers_.received)
      self->handlers_.received(std::move(data), !self->ws_.got_text());
    self->read_next();
  });
}

template <class Stream> void websocket_session<Stream>::write_next() {
  if (writing_ || !open_ || ended_)
    return;
  if (out_.empty()) {
    if (closing_) {
      writing_ = true; // nothing is written after the close frame
      ws_.async_close(websocket_ns::close_reason(close_code_, close_reason_),
                      [self = shared()](beast::error_code ec) {
                        // The read loop sees the end of a clean close; a failed one ends here.
                        if (ec)
                          self->end(why_ended(ec));
                      });
    }
    return;
  }
  writing_ = true;
  ws_.binary(out_.front().binary);
  ws_.async_write(net::buffer(out_.front().data), [self = shared()](beast::error_code ec, size_t) {
    self->writing_ = false;
    {
      std::lock_guard<std::mutex> guard{self->mtx_};
      self->queued_ -= self->out_.front().data.size();
    }
    self->out_.pop_front();
    if (ec)
      return self->end(why_ended(ec));
    self->write_next();
  });
}

template <class Stream> void websocket_session<Stream>::end(const std::string& why) {
  if (ended_)
    return;
  ended_ = true;
  open_ = false;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
  // Dropping the handlers drops what they hold (the owner), which may hold this session.
  auto handlers = std::move(handlers_);
  handlers_ = {};
  if (handlers.closed)
    handlers.closed(why);
  core_->websocket_ended();
}

template class websocket_session<beast::tcp_stream>;
template class websocket_session<beast::ssl_stream<beast::tcp_stream>>;

} // namespace baikal::http::detail
