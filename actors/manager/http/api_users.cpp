#include "actors/manager/http/api_users.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "runtime/http/proxy_request.hpp"

namespace baikal {

namespace {

/// Compares digests of equal length with OpenSSL's constant-time CRYPTO_memcmp: the time taken
/// says neither where the tokens differ nor how long the configured one is.
bool same_token(const std::string& a, const std::string& b) {
  unsigned char da[SHA256_DIGEST_LENGTH];
  unsigned char db[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), da);
  SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), db);
  return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

} // namespace

std::optional<api_user> authenticate(const std::vector<api_user>& users,
                                     const std::string& authorization) {
  static const std::string scheme = "bearer ";
  if (authorization.size() <= scheme.size())
    return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return std::nullopt;
  auto token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ')
    token.erase(0, 1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
    token.pop_back();
  if (token.empty())
    return std::nullopt;
  std::optional<api_user> found;
  for (auto& u : users)
    if (!u.token.empty() && same_token(u.token, token))
      found = u;
  return found;
}

std::string subprotocol_token(const std::string& offered) {
  static const std::string marker = "bearer.";
  size_t start = 0;
  while (start <= offered.size()) {
    auto end = std::min(offered.find(',', start), offered.size());
    auto item = offered.substr(start, end - start);
    auto first = item.find_first_not_of(" \t");
    auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) {
      item = item.substr(first, last - first + 1);
      if (item.size() > marker.size() && item.compare(0, marker.size(), marker) == 0)
        return item.substr(marker.size());
    }
    start = end + 1;
  }
  return {};
}

std::optional<api_user> authenticate_request(const std::vector<api_user>& users,
                                             const http::http_request& req) {
  auto authorization = req.header("authorization");
  if (authorization.empty() && http::is_websocket_upgrade(req)) {
    auto token = subprotocol_token(req.header("sec-websocket-protocol"));
    if (!token.empty())
      authorization = "Bearer " + token;
  }
  return authenticate(users, authorization);
}

} // namespace baikal
