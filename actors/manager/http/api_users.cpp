#include "actors/manager/http/api_users.hpp"

#include <cctype>

namespace baikal {

namespace {

bool same_token(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
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

} // namespace baikal
