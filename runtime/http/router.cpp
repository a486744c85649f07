#include "runtime/http/router.hpp"

#include "runtime/http/target.hpp"

namespace baikal::http {

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  if (!path.empty() && path.front() == '/')
    path.remove_prefix(1);
  if (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  if (path.empty())
    return out;
  size_t start = 0;
  while (true) {
    auto slash = path.find('/', start);
    out.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  return out;
}

std::string router::add(std::string method, std::string pattern) {
  route r;
  r.label = method + " " + pattern;
  r.method = std::move(method);
  r.segments = path_segments(pattern);
  routes_.push_back(std::move(r));
  return routes_.back().label;
}

namespace {

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_rest(const std::string& segment) {
  return segment.size() > 5 && segment.compare(segment.size() - 4, 4, "...}") == 0 &&
         segment.front() == '{';
}

/// Fills `params` when `path` fits `pattern`.
bool fits(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
          std::map<std::string, std::string>& params) {
  bool rest = !pattern.empty() && is_rest(pattern.back());
  auto fixed = rest ? pattern.size() - 1 : pattern.size();
  if (rest ? path.size() < fixed : pattern.size() != path.size())
    return false;
  std::map<std::string, std::string> found;
  if (rest) {
    std::string tail;
    for (size_t i = fixed; i < path.size(); ++i)
      tail += (i == fixed ? "" : "/") + path[i];
    found[pattern.back().substr(1, pattern.back().size() - 5)] = std::move(tail);
  }
  for (size_t i = 0; i < fixed; ++i) {
    if (is_param(pattern[i])) {
      auto value = percent_decode(path[i], false);
      if (!value || value->empty())
        return false;
      found[pattern[i].substr(1, pattern[i].size() - 2)] = std::move(*value);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

} // namespace

route_match router::match(std::string_view method, std::string_view path) const {
  route_match out;
  auto segments = path_segments(path);
  for (auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!fits(r.segments, segments, params))
      continue;
    if (r.method == method || r.method == "*") {
      out.result = route_match::outcome::found;
      out.label = r.label;
      out.params = std::move(params);
      out.allowed.clear();
      return out;
    }
    out.result = route_match::outcome::method_not_allowed;
    out.allowed.push_back(r.method);
  }
  return out;
}

} // namespace baikal::http
