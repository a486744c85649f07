#pragma once

/// Which managers baikalctl sends its token to when one redirects a request (a standby's 307 to
/// the leader): those on a host named in --api (or BAIKAL_API_URL). A redirect to any other host
/// goes without the token, as `curl -L` does, so that an answer naming a host of someone else's
/// never gets the token.

#include <string>
#include <vector>

namespace baikal::ctl {

/// The host of "scheme://host:port/...", lower case; an IPv6 address keeps its brackets. Empty
/// when `url` has no scheme.
std::string host_of(const std::string& url);

/// Whether a request redirected to `location` keeps its token: its host is one of `api_urls`'.
bool redirect_keeps_token(const std::vector<std::string>& api_urls, const std::string& location);

} // namespace baikal::ctl
