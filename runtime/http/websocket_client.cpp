#include "runtime/http/websocket_client.hpp"

#include <deque>
#include <variant>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "messages/errors.hpp"
#include "runtime/http/detail/client_connect.hpp"
#include "runtime/json/json_reader.hpp"

namespace baikal::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ws = beast::websocket;
using tcp = net::ip::tcp;

using plain_ws = ws::stream<beast::tcp_stream>;
using tls_ws = ws::stream<beast::ssl_stream<beast::tcp_stream>>;

/// The WebSocket over plain TCP (ws://) or over TLS (wss://, for an https:// API).
struct websocket_client::impl {
  net::io_context ioc;
  std::variant<std::unique_ptr<plain_ws>, std::unique_ptr<tls_ws>> stream;
  beast::flat_buffer in;
  std::deque<std::pair<std::string, bool>> out;
  bool writing = false;

  /// Calls `use` with the stream, whichever it is.
  template <class Use> decltype(auto) with_stream(Use&& use) {
    return std::visit([&](auto& s) -> decltype(auto) { return use(*s); }, stream);
  }
};

namespace {

/// The error a refused upgrade stands for, with the API's own message when it sent one.
caf::error refused(const ws::response_type& res) {
  auto status = static_cast<int>(res.result_int());
  std::string message = "the API refused the WebSocket upgrade with HTTP " + std::to_string(status);
  if (auto doc = json::parse_object(res.body()))
    if (doc->HasMember("message") && (*doc)["message"].IsString())
      message = (*doc)["message"].GetString();
  auto code = status == 404                    ? errc::not_found
              : status == 401 || status == 403 ? errc::permission_denied
              : status == 409                  ? errc::conflict
              : status == 413                  ? errc::too_large
              : status >= 500                  ? errc::unavailable
                                               : errc::invalid_argument;
  return make_error(code, message);
}

caf::expected<std::optional<websocket_message>> message_or_end(const beast::error_code& ec,
                                                               beast::flat_buffer& in, bool text,
                                                               std::string& reason,
                                                               const ws::close_reason& cr) {
  if (ec == ws::error::closed) {
    reason = std::string{cr.reason.data(), cr.reason.size()};
    return std::optional<websocket_message>{};
  }
  if (ec)
    return make_error(errc::unavailable, "the connection to the API ended: " + ec.message());
  websocket_message m{beast::buffers_to_string(in.data()), !text};
  in.consume(in.size());
  return std::optional<websocket_message>{std::move(m)};
}

} // namespace

websocket_client::websocket_client(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

websocket_client::~websocket_client() = default;

namespace {

/// Connects (and for TLS shakes hands), then asks for the upgrade of `target`.
template <class Stream>
caf::error upgrade(Stream& stream, const blocking_client& api, const std::string& target,
                   const std::map<std::string, std::string>& headers,
                   std::chrono::seconds timeout) {
  auto& lowest = beast::get_lowest_layer(stream);
  if (auto err = detail::connect_to(api, lowest, timeout))
    return err;
  if constexpr (!std::is_same_v<Stream, plain_ws>)
    if (auto err = detail::tls_handshake(api, stream.next_layer(), timeout))
      return err;
  stream.set_option(ws::stream_base::decorator([headers](ws::request_type& req) {
    req.set(beast::http::field::user_agent, "baikalctl");
    for (auto& [name, value] : headers)
      req.set(name, value);
  }));
  ws::response_type res;
  beast::error_code ec;
  stream.handshake(res, api.host() + ":" + api.port(), api.prefix() + target, ec);
  if (ec == ws::error::upgrade_declined) {
    // Beast 1.74 drops the refusal's answer; the same request without the upgrade gets it
    // again (the API checks the session before the upgrade, so it answers the same error).
    client_request again;
    again.target = target;
    again.headers = headers;
    auto plain = api.send(again, timeout);
    if (!plain)
      return plain.error();
    res.result(static_cast<unsigned>(plain->status));
    res.body() = std::move(plain->body);
    return refused(res);
  }
  if (ec)
    return make_error(errc::unavailable, "the WebSocket handshake failed: " + ec.message());
  lowest.expires_never();
  // Pings keep a quiet connection (an idle shell) alive through proxies, and notice a dead one.
  stream.set_option(ws::stream_base::timeout::suggested(beast::role_type::client));
  return {};
}

} // namespace

caf::expected<std::unique_ptr<websocket_client>>
websocket_client::open(const blocking_client& api, const std::string& target,
                       const std::map<std::string, std::string>& headers,
                       std::chrono::seconds timeout) {
  auto p = std::make_unique<impl>();
  if (api.tls_context())
    p->stream = std::make_unique<tls_ws>(p->ioc, *api.tls_context());
  else
    p->stream = std::make_unique<plain_ws>(p->ioc);
  if (auto err = p->with_stream(
          [&](auto& stream) { return upgrade(stream, api, target, headers, timeout); }))
    return err;
  return std::unique_ptr<websocket_client>{new websocket_client(std::move(p))};
}

caf::error websocket_client::send(const std::string& data, bool binary) {
  beast::error_code ec;
  impl_->with_stream([&](auto& stream) {
    stream.binary(binary);
    stream.write(net::buffer(data), ec);
  });
  if (ec)
    return make_error(errc::unavailable, "the connection to the API ended: " + ec.message());
  return {};
}

caf::expected<std::optional<websocket_message>> websocket_client::receive() {
  return impl_->with_stream([&](auto& stream) {
    beast::error_code ec;
    stream.read(impl_->in, ec);
    return message_or_end(ec, impl_->in, stream.got_text(), close_reason_, stream.reason());
  });
}

void websocket_client::close() {
  impl_->with_stream([](auto& stream) {
    beast::error_code ec;
    if (stream.is_open())
      stream.close(ws::close_code::normal, ec);
  });
}

net::io_context& websocket_client::io() {
  return impl_->ioc;
}

void websocket_client::async_receive(
    std::function<void(caf::expected<std::optional<websocket_message>>)> done) {
  impl_->with_stream([&](auto& stream) {
    stream.async_read(
        impl_->in, [this, &stream, done = std::move(done)](beast::error_code ec, size_t) {
          done(message_or_end(ec, impl_->in, stream.got_text(), close_reason_, stream.reason()));
        });
  });
}

void websocket_client::async_send(std::string data, bool binary) {
  impl_->out.emplace_back(std::move(data), binary);
  if (impl_->writing)
    return;
  struct writer {
    impl* p;
    void next() {
      if (p->out.empty()) {
        p->writing = false;
        return;
      }
      p->writing = true;
      p->with_stream([this](auto& stream) {
        stream.binary(p->out.front().second);
        stream.async_write(net::buffer(p->out.front().first),
                           [w = *this](beast::error_code ec, size_t) mutable {
                             w.p->out.pop_front();
                             if (ec) {
                               w.p->out.clear();
                               w.p->writing = false;
                               return;
                             }
                             w.next();
                           });
      });
    }
  };
  writer{impl_.get()}.next();
}

} // namespace baikal::http
