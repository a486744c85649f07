#include "runtime/docker/connection.hpp"

#include <cctype>
#include <cstdlib>
#include <limits>

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "runtime/paths/socket_path.hpp"

namespace baikal::docker {

namespace http = boost::beast::http;

std::string socket_path_from(const std::string& configured) {
  if (!configured.empty())
    return configured;
  if (const char* host = std::getenv("DOCKER_HOST")) {
    std::string_view value{host};
    constexpr std::string_view scheme = "unix://";
    if (value.substr(0, scheme.size()) == scheme)
      return std::string{value.substr(scheme.size())};
  }
  return "/var/run/docker.sock";
}

connection::connection(boost::asio::io_context& ioc, std::string socket_path)
    : socket_(ioc), socket_path_(std::move(socket_path)) {}

boost::system::error_code connection::connect() {
  boost::system::error_code ec;
  std::string why;
  // A socket under a deep directory is reached through its opened directory (socket_path.hpp);
  // Asio would throw for a path longer than sun_path.
  auto socket = paths::socket_path::reach(socket_path_, why);
  if (!socket)
    ec = boost::system::errc::make_error_code(boost::system::errc::filename_too_long);
  else
    socket_.connect({socket->name()}, ec);
  reusable_ = !ec;
  return ec;
}

int connection::native_handle() {
  return socket_.native_handle();
}

namespace {

http::request<http::string_body> make_request(const docker_call& call) {
  auto verb = http::string_to_verb(call.method);
  http::request<http::string_body> req{verb, std::string{api_prefix} + call.target, 11};
  // Docker's HTTP layer refuses a request without Host (400, then closes).
  req.set(http::field::host, "docker");
  req.set(http::field::user_agent, "baikal");
  if (!call.content_type.empty())
    req.set(http::field::content_type, call.content_type);
  for (auto& [name, value] : call.headers)
    req.set(name, value);
  req.body() = call.body;
  req.keep_alive(true);
  req.prepare_payload();
  return req;
}

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

} // namespace

exchange_outcome connection::exchange(const docker_call& call, docker_reply& reply,
                                      const data_handler& on_data) {
  exchange_outcome out;
  reusable_ = false;
  auto req = make_request(call);
  http::write(socket_, req, out.ec);
  if (out.ec)
    return out;
  out.request_written = true;
  http::response_parser<http::buffer_body> parser;
  // Not boost::none: Beast 1.74 then refuses any Content-Length body (optional<> compare bug).
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  if (req.method() == http::verb::head)
    parser.skip(true); // else the read waits for Content-Length bytes that never come
  http::read_header(socket_, buffer_, parser, out.ec);
  if (out.ec)
    return out;
  out.header_read = true;
  auto& msg = parser.get();
  reply.status = static_cast<uint16_t>(msg.result_int());
  for (auto& field : msg) {
    auto name = field.name_string();
    auto value = field.value();
    reply.headers[lower({name.data(), name.size()})] = std::string{value.data(), value.size()};
  }
  bool streamed = on_data && reply.status >= 200 && reply.status < 300;
  char chunk[64 * 1024];
  while (!parser.is_done()) {
    msg.body().data = chunk;
    msg.body().size = sizeof chunk;
    // read_some, not read: read waits until the buffer is full, which holds back the pieces
    // of a live stream (events, logs follow) for as long as the engine stays quiet.
    http::read_some(socket_, buffer_, parser, out.ec);
    if (out.ec == http::error::need_buffer)
      out.ec = {};
    if (out.ec)
      return out;
    auto n = sizeof chunk - msg.body().size;
    if (n == 0)
      continue;
    if (streamed)
      on_data(std::string_view{chunk, n});
    else
      reply.body.append(chunk, n);
  }
  reusable_ = parser.keep_alive();
  return out;
}

} // namespace baikal::docker
