// A connection's event streams: after the handler starts one (Server-Sent Events, or a chunked
// body), the head and each piece of text are written in order as they come, while a read on the
// socket notices the client going away.

#include <memory>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "runtime/http/detail/connection.hpp"

namespace baikal::http::detail {

template <class Stream>
void connection<Stream>::post_stream_start(std::string content_type, bool chunked, int64_t length) {
  net::post(executor_, [self = shared(), content_type, chunked, length] {
    if (self->phase_ != phase::handling)
      return;
    self->phase_ = phase::streaming;
    auto framing = chunked       ? std::string{"Transfer-Encoding: chunked\r\n"}
                   : length >= 0 ? "Content-Length: " + std::to_string(length) + "\r\n"
                                 : std::string{};
    self->stream_queue_.push_front(
        {"HTTP/1.1 200 OK\r\nServer: baikal\r\nContent-Type: " + content_type +
             "\r\nCache-Control: no-cache\r\n" + framing + "Connection: close\r\n\r\n",
         {}});
    self->write_stream_queue();
    self->watch_peer();
  });
}

template <class Stream>
void connection<Stream>::post_stream_data(std::string text, std::function<void(bool)> done) {
  net::post(executor_, [self = shared(), text = std::move(text), done = std::move(done)]() mutable {
    if (self->phase_ != phase::streaming) {
      if (done)
        done(false);
      return;
    }
    self->stream_queue_.push_back({std::move(text), std::move(done)});
    self->write_stream_queue();
  });
}

template <class Stream> void connection<Stream>::post_stream_finish(std::string last) {
  net::post(executor_, [self = shared(), last = std::move(last)]() mutable {
    if (self->phase_ != phase::streaming)
      return;
    if (!last.empty())
      self->stream_queue_.push_back({std::move(last), {}});
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
  auto item = std::make_shared<queued_text>(std::move(stream_queue_.front()));
  stream_queue_.pop_front();
  lowest().expires_after(core_->opts.idle_timeout);
  net::async_write(stream_, net::buffer(item->text),
                   [self = shared(), item](beast::error_code ec, size_t) {
                     self->stream_writing_ = false;
                     if (item->done)
                       item->done(!ec);
                     if (ec)
                       return self->close();
                     self->write_stream_queue();
                   });
}

template <class Stream> void connection<Stream>::drop_stream_queue() {
  auto queued = std::move(stream_queue_);
  stream_queue_.clear();
  for (auto& item : queued)
    if (item.done)
      item.done(false);
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

template void connection<plain_stream>::post_stream_start(std::string, bool, int64_t);
template void connection<plain_stream>::post_stream_data(std::string, std::function<void(bool)>);
template void connection<plain_stream>::drop_stream_queue();
template void connection<plain_stream>::post_stream_finish(std::string);
template void connection<plain_stream>::write_stream_queue();
template void connection<plain_stream>::watch_peer();
template void connection<tls_stream>::post_stream_start(std::string, bool, int64_t);
template void connection<tls_stream>::post_stream_data(std::string, std::function<void(bool)>);
template void connection<tls_stream>::drop_stream_queue();
template void connection<tls_stream>::post_stream_finish(std::string);
template void connection<tls_stream>::write_stream_queue();
template void connection<tls_stream>::watch_peer();

} // namespace baikal::http::detail
