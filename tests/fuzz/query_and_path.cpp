// Request targets and the paths users name: splitting a target into path and query, percent
// decoding (which must undo percent encoding), path segments against the API's routes, and the
// lexical mapping of a container path into /home/work, which must never leave it.

#include "actors/manager/http/api_routes.hpp"
#include "runtime/http/router.hpp"
#include "runtime/http/target.hpp"
#include "runtime/paths/confined_path.hpp"
#include "runtime/paths/detail/beneath.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace baikal;

void check_work_relative(const std::string& user_path, path_access access) {
  auto rel = work_relative_path(user_path, access);
  if (!rel)
    return;
  const std::string& r = *rel;
  if (!r.empty() && r.front() == '/')
    fuzz::broken("a work-relative path starts with '/'");
  for (auto& part : detail::split_components(r))
    if (part == "." || part == "..")
      fuzz::broken("a work-relative path keeps '.' or '..'");
}

} // namespace

BAIKAL_FUZZ_TARGET {
  static const http::router routes = api_router();
  fuzz::input in{data, size};
  auto flags = in.byte();
  std::string_view text = in.rest();
  bool plus_is_space = flags & 1;
  bool keep_slash = flags & 2;

  if (auto split = http::parse_target(text)) {
    for (const char* method : {"GET", "POST", "PUT", "DELETE"})
      (void)routes.match(method, split->path);
    for (auto& [key, value] : split->query)
      check_work_relative(value, path_access::download);
  }
  (void)http::path_segments(text);
  (void)http::percent_decode(text, plus_is_space);
  auto encoded = http::percent_encode(text, keep_slash);
  auto decoded = http::percent_decode(encoded, false);
  if (!decoded || *decoded != text)
    fuzz::broken("percent_decode does not undo percent_encode");

  std::string user_path{text};
  check_work_relative(user_path, static_cast<path_access>(flags % 3));
  (void)container_path_of(user_path);
  return 0;
}
