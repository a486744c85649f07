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

#include "messages/errors.hpp"

namespace baikal::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

caf::expected<blocking_client> blocking_client::make(const std::string& base_url) {
  static const std::string scheme = "http://";
  if (base_url.compare(0, scheme.size(), scheme) != 0)
    return make_error(errc::invalid_argument,
                      "the API URL \"" + base_url + "\" must start with http://");
  auto rest = base_url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  blocking_client out;
  out.prefix_ = slash == std::string::npos ? "" : rest.substr(slash);
  while (!out.prefix_.empty() && out.prefix_.back() == '/')
    out.prefix_.pop_back();
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    out.host_ = authority;
    out.port_ = "80";
  } else {
    out.host_ = authority.substr(0, colon);
    out.port_ = authority.substr(colon + 1);
  }
  if (out.host_.empty() || out.port_.empty())
    return make_error(errc::invalid_argument, "the API URL \"" + base_url + "\" has no host");
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
void write_with_progress(beast::tcp_stream& stream, bhttp::request<bhttp::string_body>& msg,
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
void read_with_progress(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                        bhttp::response_parser<bhttp::string_body>& parser,
                        const transfer_progress_fn& progress, beast::error_code& ec) {
  bhttp::read_header(stream, buffer, parser, ec);
  uint64_t total = parser.content_length() ? *parser.content_length() : 0;
  while (!ec && !parser.is_done()) {
    bhttp::read_some(stream, buffer, parser, ec);
    progress(parser.get().body().size(), total);
  }
}

caf::error connect_error(const std::string& host, const std::string& port,
                         const beast::error_code& ec) {
  return make_error(errc::unavailable,
                    "cannot reach the API at " + host + ":" + port + ": " + ec.message());
}

} // namespace

caf::expected<client_response> blocking_client::send(const client_request& req,
                                                     std::chrono::seconds timeout) const {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::error_code ec;
  tcp::resolver resolver{ioc};
  auto endpoints = resolver.resolve(host_, port_, ec);
  if (ec)
    return connect_error(host_, port_, ec);
  stream.expires_after(timeout);
  stream.connect(endpoints, ec);
  if (ec)
    return connect_error(host_, port_, ec);
  auto msg = to_beast(req, host_, prefix_);
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
  if (ec)
    return make_error(errc::unavailable, "the API sent no complete answer: " + ec.message());
  auto res = parser.release();
  client_response out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string{res[bhttp::field::content_type]};
  out.body = std::move(res.body());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
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
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::error_code ec;
  tcp::resolver resolver{ioc};
  auto endpoints = resolver.resolve(host_, port_, ec);
  if (ec)
    return connect_error(host_, port_, ec);
  stream.connect(endpoints, ec);
  if (ec)
    return connect_error(host_, port_, ec);
  auto msg = to_beast(req, host_, prefix_);
  bhttp::write(stream, msg, ec);
  if (ec)
    return make_error(errc::unavailable, "the API closed the connection: " + ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(std::numeric_limits<uint64_t>::max());
  bhttp::read_header(stream, buffer, parser, ec);
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
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return status;
}

} // namespace baikal::http
