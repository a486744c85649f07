#include "runtime/http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "messages/errors.hpp"
#include "runtime/http/detail/client_connect.hpp"

namespace baikal::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

caf::expected<blocking_client> blocking_client::make(const std::string& base_url,
                                                     const client_tls& tls) {
  static const std::string plain = "http://";
  static const std::string secure = "https://";
  bool https = base_url.compare(0, secure.size(), secure) == 0;
  if (!https && base_url.compare(0, plain.size(), plain) != 0)
    return make_error(errc::invalid_argument,
                      "the API URL \"" + base_url + "\" must start with http:// or https://");
  auto rest = base_url.substr(https ? secure.size() : plain.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  blocking_client out;
  out.prefix_ = slash == std::string::npos ? "" : rest.substr(slash);
  while (!out.prefix_.empty() && out.prefix_.back() == '/')
    out.prefix_.pop_back();
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    out.host_ = authority;
    out.port_ = https ? "443" : "80";
  } else {
    out.host_ = authority.substr(0, colon);
    out.port_ = authority.substr(colon + 1);
  }
  if (out.host_.empty() || out.port_.empty())
    return make_error(errc::invalid_argument, "the API URL \"" + base_url + "\" has no host");
  if (https) {
    auto ctx = make_client_tls_context(tls);
    if (!ctx)
      return ctx.error();
    out.tls_ = std::move(*ctx);
    out.untrusted_hint_ = tls.untrusted_hint;
  }
  return out;
}

namespace {

bhttp::request<bhttp::string_body> to_beast(const client_request& req, const std::string& host,
                                            const std::string& prefix) {
  bhttp::request<bhttp::string_body> msg;
  msg.method_string(req.method);
  msg.target(prefix + req.target);
  msg.version(11);
  msg.set(bhttp::field::host, host);
  msg.set(bhttp::field::user_agent, "baikalctl");
  for (auto& [name, value] : req.headers)
    msg.set(name, value);
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
    msg.set(bhttp::field::content_type, req.content_type);
    msg.body() = req.body;
  }
  msg.keep_alive(false);
  msg.prepare_payload();
  return msg;
}

/// Writes `msg`, its body in pieces the socket takes, telling `progress` after each.
template <class Stream>
void write_with_progress(Stream& stream, bhttp::request<bhttp::string_body>& msg,
                         const transfer_progress_fn& progress, beast::error_code& ec) {
  bhttp::request_serializer<bhttp::string_body> sr{msg};
  // A local socket takes megabytes at once; smaller writes keep the progress moving.
  sr.limit(64 * 1024);
  bhttp::write_header(stream, sr, ec);
  uint64_t total = msg.body().size();
  uint64_t done = 0;
  progress(0, total);
  while (!ec && !sr.is_done()) {
    done += bhttp::write_some(stream, sr, ec);
    progress(std::min(done, total), total);
  }
}

/// Reads the answer's body into `parser` piece by piece, telling `progress` after each.
template <class Stream>
void read_with_progress(Stream& stream, beast::flat_buffer& buffer,
                        bhttp::response_parser<bhttp::string_body>& parser,
                        const transfer_progress_fn& progress, beast::error_code& ec) {
  bhttp::read_header(stream, buffer, parser, ec);
  uint64_t total = parser.content_length() ? *parser.content_length() : 0;
  while (!ec && !parser.is_done()) {
    bhttp::read_some(stream, buffer, parser, ec);
    progress(parser.get().body().size(), total);
  }
}

/// Connects to the API, over TLS for an https:// URL, and hands the stream to `use`.
template <class Result, class Use>
caf::expected<Result> over_connection(const blocking_client& api, std::chrono::seconds timeout,
                                      Use&& use) {
  net::io_context ioc;
  if (!api.tls_context()) {
    beast::tcp_stream stream{ioc};
    if (auto err = detail::connect_to(api, stream, timeout))
      return err;
    return use(stream);
  }
  beast::ssl_stream<beast::tcp_stream> stream{ioc, *api.tls_context()};
  if (auto err = detail::connect_to(api, beast::get_lowest_layer(stream), timeout))
    return err;
  if (auto err = detail::tls_handshake(api, stream, timeout))
    return err;
  return use(stream);
}

template <class Stream>
caf::expected<client_response> exchange(Stream& stream, const blocking_client& api,
                                        const client_request& req) {
  beast::error_code ec;
  auto msg = to_beast(req, api.host(), api.prefix());
  if (req.upload_progress)
    write_with_progress(stream, msg, req.upload_progress, ec);
  else
    bhttp::write(stream, msg, ec);
  if (ec)
    return make_error(errc::unavailable, "the API closed the connection: " + ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::numeric_limits<uint64_t>::max());
  if (req.download_progress)
    read_with_progress(stream, buffer, parser, req.download_progress, ec);
  else
    bhttp::read(stream, buffer, parser, ec);
  if (auto refused = client_certificate_refused(ec, api.host() + ":" + api.port()))
    return refused;
  if (ec)
    return make_error(errc::unavailable, "the API sent no complete answer: " + ec.message());
  auto res = parser.release();
  client_response out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string{res[bhttp::field::content_type]};
  out.location = std::string{res[bhttp::field::location]};
  out.body = std::move(res.body());
  // The answer is whole (its length or last chunk said so): no close_notify to wait for.
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

template <class Stream>
caf::expected<int> read_stream(Stream& stream, const blocking_client& api,
                               const client_request& req, const std::function<void(int)>& on_status,
                               const std::function<bool(std::string_view)>& on_data) {
  beast::error_code ec;
  auto msg = to_beast(req, api.host(), api.prefix());
  bhttp::write(stream, msg, ec);
  if (ec)
    return make_error(errc::unavailable, "the API closed the connection: " + ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(std::numeric_limits<uint64_t>::max());
  bhttp::read_header(stream, buffer, parser, ec);
  if (auto refused = client_certificate_refused(ec, api.host() + ":" + api.port()))
    return refused;
  if (ec)
    return make_error(errc::unavailable, "the API sent no answer: " + ec.message());
  int status = static_cast<int>(parser.get().result_int());
  on_status(status);
  char chunk[4096];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof(chunk);
    bhttp::read_some(stream, buffer, parser, ec); // read() would wait for a full buffer
    if (ec == bhttp::error::need_buffer)
      ec = {};
    if (ec)
      break; // the server ended the stream
    std::string_view piece{chunk, sizeof(chunk) - parser.get().body().size};
    if (!piece.empty() && !on_data(piece))
      break;
  }
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  return status;
}

} // namespace

namespace detail {

caf::error connect_to(const blocking_client& api, beast::tcp_stream& stream,
                      std::chrono::seconds timeout) {
  beast::error_code ec;
  tcp::resolver resolver{stream.get_executor()};
  auto endpoints = resolver.resolve(api.host(), api.port(), ec);
  if (!ec) {
    stream.expires_after(timeout);
    stream.connect(endpoints, ec);
  }
  // Small writes (a TLS handshake's records, a request's head) go out at once instead of
  // waiting for the server's delayed acknowledgement of the last one.
  if (!ec)
    stream.socket().set_option(tcp::no_delay(true), ec);
  if (ec)
    return make_error(errc::unavailable, "cannot reach the API at " + api.host() + ":" +
                                             api.port() + ": " + ec.message());
  return {};
}

caf::error tls_handshake(const blocking_client& api, beast::ssl_stream<beast::tcp_stream>& stream,
                         std::chrono::seconds timeout) {
  auto where = api.host() + ":" + api.port();
  if (!expect_server(stream.native_handle(), api.host()))
    return make_error(errc::invalid_argument, "cannot check a TLS certificate for " + api.host());
  // Asynchronous, as only those keep to the stream's deadline: a server that accepts and
  // then says nothing does not hang the caller.
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(std::min(timeout, std::chrono::seconds(60)));
  beast::error_code ec;
  stream.async_handshake(net::ssl::stream_base::client, [&ec](beast::error_code e) { ec = e; });
  auto& ioc =
      static_cast<net::io_context&>(net::query(lowest.get_executor(), net::execution::context));
  ioc.run();
  ioc.restart();
  lowest.expires_never();
  if (ec)
    return handshake_failure(ec, stream.native_handle(), where, api.untrusted_hint());
  return {};
}

} // namespace detail

caf::expected<client_response> blocking_client::send(const client_request& req,
                                                     std::chrono::seconds timeout) const {
  return over_connection<client_response>(
      *this, timeout, [&](auto& stream) { return exchange(stream, *this, req); });
}

caf::expected<int>
blocking_client::stream(const client_request& req,
                        const std::function<bool(std::string_view)>& on_data) const {
  return stream(
      req, [](int) {}, on_data);
}

caf::expected<int>
blocking_client::stream(const client_request& req, const std::function<void(int)>& on_status,
                        const std::function<bool(std::string_view)>& on_data) const {
  return over_connection<int>(*this, std::chrono::seconds(300), [&](auto& stream) {
    return read_stream(stream, *this, req, on_status, on_data);
  });
}

} // namespace baikal::http
