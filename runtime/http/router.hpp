#pragma once

/// Routes by method and path pattern ("/v1/sessions/{id}/files"). A pattern's `{name}`
/// segments become parameters, percent-decoded; a last segment `{name...}` takes the rest of
/// the path (none or more segments, joined with '/', still encoded), and the method "*" takes
/// any method. Routes are identified by their label
/// ("GET /v1/sessions/{id}"), which is also what metrics count by.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace baikal::http {

struct route_match {
  enum class outcome { found, no_such_path, method_not_allowed };
  outcome result = outcome::no_such_path;
  std::string label; ///< "METHOD pattern" when found
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed; ///< methods the path takes, for method_not_allowed
};

class router {
public:
  /// Adds a route; answers its label.
  std::string add(std::string method, std::string pattern);

  route_match match(std::string_view method, std::string_view path) const;

private:
  struct route {
    std::string method;
    std::string label;
    std::vector<std::string> segments; ///< "{name}" for a parameter
  };

  std::vector<route> routes_;
};

/// Splits "/a/b/" into {"a", "b"}; empty segments in the middle are kept (and match nothing).
std::vector<std::string> path_segments(std::string_view path);

} // namespace baikal::http
