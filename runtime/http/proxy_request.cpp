#include "runtime/http/proxy_request.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace baikal::http {

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_token(const std::string& list, const std::string& token) {
  auto l = lower(list);
  size_t start = 0;
  while (start <= l.size()) {
    auto comma = l.find(',', start);
    auto item = l.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto b = item.find_first_not_of(" \t");
    auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos && item.substr(b, e - b + 1) == token)
      return true;
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return false;
}

/// Headers of the client's hop (RFC 9110 7.6.1), and the credentials meant for the proxy: a
/// kernel's app never sees the user's API token.
bool dropped(const std::string& name, const std::string& connection) {
  static const std::array<const char*, 12> hop{"connection",
                                               "keep-alive",
                                               "proxy-connection",
                                               "proxy-authenticate",
                                               "proxy-authorization",
                                               "te",
                                               "trailer",
                                               "transfer-encoding",
                                               "upgrade",
                                               "authorization",
                                               "host",
                                               "content-length"};
  if (std::find(hop.begin(), hop.end(), name) != hop.end())
    return true;
  return has_token(connection, name);
}

bool clean(const std::string& s) {
  return s.find_first_of("\r\n") == std::string::npos;
}

} // namespace

bool is_websocket_upgrade(const http_request& req) {
  return req.method == "GET" && lower(req.header("upgrade")) == "websocket" &&
         has_token(req.header("connection"), "upgrade");
}

std::string proxied_request(const http_request& req, const proxy_hop& hop) {
  bool upgrade = is_websocket_upgrade(req);
  auto connection = req.header("connection");
  std::string out = req.method + " " + hop.target + " HTTP/1.1\r\n";
  out += "Host: " + hop.host + "\r\n";
  for (auto& [name, value] : req.headers)
    if (!dropped(name, connection) && clean(name) && clean(value) &&
        name.rfind("x-forwarded-", 0) != 0)
      out += name + ": " + value + "\r\n";
  auto forwarded_for = req.header("x-forwarded-for");
  if (clean(forwarded_for) && !forwarded_for.empty())
    out += "X-Forwarded-For: " + forwarded_for + ", " + hop.client_addr + "\r\n";
  else
    out += "X-Forwarded-For: " + hop.client_addr + "\r\n";
  out += "X-Forwarded-Prefix: " + hop.prefix + "\r\n";
  if (upgrade) {
    out += "Connection: Upgrade\r\nUpgrade: websocket\r\n";
  } else {
    out += "Connection: close\r\n";
    if (!req.body.empty() || (req.method != "GET" && req.method != "HEAD"))
      out += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
  }
  out += "\r\n";
  if (!upgrade)
    out += req.body;
  return out;
}

std::string target_after(const std::string& target, size_t segments) {
  auto q = target.find('?');
  auto path = target.substr(0, q);
  auto query = q == std::string::npos ? std::string{} : target.substr(q);
  size_t pos = 0;
  for (size_t i = 0; i < segments && pos != std::string::npos; ++i) {
    if (pos < path.size() && path[pos] == '/')
      ++pos;
    pos = path.find('/', pos);
  }
  std::string rest = pos == std::string::npos ? "/" : path.substr(pos);
  if (rest.empty())
    rest = "/";
  return rest + query;
}

} // namespace baikal::http
