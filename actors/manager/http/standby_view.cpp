#include "actors/manager/http/standby_view.hpp"

#include <algorithm>
#include <array>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

void standby_view::saw(const std::string& leader) {
  if (leader.rfind("http://", 0) != 0 && leader.rfind("https://", 0) != 0)
    return;
  auto url = leader;
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  std::lock_guard<std::mutex> guard{mutex_};
  url_ = std::move(url);
}

std::string standby_view::leader_url() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return url_;
}

bool standby_serves(const std::string& label) {
  static const std::array<const char*, 6> served{
      "GET /v1/health",   "GET /v1/ready",         "GET /v1/openapi.json",
      "GET /v1/sessions", "GET /v1/sessions/{id}", "GET /v1/sessions/{id}/history"};
  return std::any_of(served.begin(), served.end(), [&](const char* s) { return label == s; });
}

http::http_response standby_redirect(const standby_view& view, const std::string& target) {
  auto leader = view.leader_url();
  if (leader.empty())
    return error_response(503, "unavailable",
                          "this manager stands by and no manager leads the store yet; try again "
                          "in a few seconds");
  auto location = leader + (target.empty() || target.front() != '/' ? "/" : "") + target;
  auto res =
      error_response(307, "redirected",
                     "this manager stands by; the manager that leads serves this at " + location);
  res.headers.emplace_back("Location", location);
  return res;
}

} // namespace baikal
