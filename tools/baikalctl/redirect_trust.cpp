#include "tools/baikalctl/redirect_trust.hpp"

#include <algorithm>
#include <cctype>

namespace baikal::ctl {

std::string host_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos)
    return {};
  auto from = scheme + 3;
  auto end = url.find_first_of("/?#", from);
  auto authority = url.substr(from, end == std::string::npos ? std::string::npos : end - from);
  // user:password@host is not a manager's URL, but its host is what the request goes to.
  if (auto at = authority.rfind('@'); at != std::string::npos)
    authority = authority.substr(at + 1);
  std::string host;
  if (!authority.empty() && authority.front() == '[')
    host = authority.substr(0, authority.find(']') + 1);
  else
    host = authority.substr(0, authority.find(':'));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

bool redirect_keeps_token(const std::vector<std::string>& api_urls, const std::string& location) {
  auto host = host_of(location);
  if (host.empty())
    return false;
  return std::any_of(api_urls.begin(), api_urls.end(),
                     [&](const std::string& url) { return host_of(url) == host; });
}

} // namespace baikal::ctl
