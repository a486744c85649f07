// A request as the manager's API server receives it: the bytes through Beast's request parser
// with the server's limits, the target split into path and query, the bearer token checked,
// the route matched in the API's route table and the body decoded by that route's decoder.

#include <cctype>
#include <functional>
#include <map>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/http/api_routes.hpp"
#include "actors/manager/http/api_users.hpp"
#include "runtime/http/target.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

namespace bhttp = boost::beast::http;
using namespace baikal;

// runtime/http/detail/connection_reading.cpp: the head limit, and the JSON body limit api_settings
// picks for every method but PUT.
constexpr size_t header_limit = 16 * 1024;
constexpr uint64_t body_limit = 1024 * 1024;

/// Feeds `bytes` to `parser` as a connection would, then the end of the stream.
void feed(bhttp::request_parser<bhttp::string_body>& parser, std::string_view bytes) {
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec || used == 0)
      break; // need_more included: everything there is was offered
  }
  // As a connection does at the end of the stream; Beast wants some bytes before an end.
  if (!parser.is_done() && parser.got_some() && (!ec || ec == bhttp::error::need_more)) {
    ec = {};
    parser.put_eof(ec);
  }
}

http::http_request request_of(const bhttp::request<bhttp::string_body>& msg) {
  http::http_request req;
  req.method = std::string{msg.method_string()};
  req.target = std::string{msg.target()};
  for (auto& field : msg) {
    std::string name{field.name_string()};
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string{field.value()};
  }
  req.body = msg.body();
  return req;
}

void decode_body(const std::string& label, const std::string& body) {
  static const std::map<std::string, std::function<void(const std::string&)>> decoders = {
      {"POST /v1/sessions", [](const std::string& b) { (void)parse_session_request(b); }},
      {"POST /v1/sessions/{id}/execute", [](const std::string& b) { (void)parse_execute(b); }},
      {"POST /v1/sessions/{id}/complete", [](const std::string& b) { (void)parse_completion(b); }},
      {"POST /v1/sessions/{id}/services/{name}",
       [](const std::string& b) { (void)parse_start_service(b); }},
      {"POST /v1/sessions/{id}/commit", [](const std::string& b) { (void)parse_commit(b); }},
      {"POST /v1/agents/{id}/images/purge", [](const std::string& b) { (void)parse_purge(b); }},
  };
  if (auto i = decoders.find(label); i != decoders.end())
    i->second(body);
}

} // namespace

BAIKAL_FUZZ_TARGET {
  static const http::router routes = api_router();
  static const std::vector<api_user> users = {
      {"alice", user_id{"00000000-0000-0000-0000-00000000000a"}, "alice-token"},
      {"bob", user_id{"00000000-0000-0000-0000-00000000000b"}, "bob-token"}};
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(body_limit);
  parser.eager(true);
  feed(parser, {reinterpret_cast<const char*>(data), size});
  if (!parser.is_done())
    return 0;
  auto req = request_of(parser.get());
  auto split = http::parse_target(req.target);
  if (!split)
    return 0;
  (void)authenticate(users, req.header("authorization"));
  auto found = routes.match(req.method, split->path);
  if (found.result == http::route_match::outcome::found)
    decode_body(found.label, req.body);
  return 0;
}
