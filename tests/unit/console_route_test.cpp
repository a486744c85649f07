// The web console's files at /ui/: found by exact path in the built-in table, with their type
// and the headers that keep a page from running what it did not ship.

#include <doctest/doctest.h>

#include <algorithm>

#include "actors/manager/http/console_route.hpp"

using namespace baikal;

namespace {

const std::vector<embedded_file> files{
    {"index.html", "<!doctype html><title>console</title>"},
    {"js/app.js", "export const x = 1;"},
    {"style.css", "body {}"},
};

http::http_request get(const std::string& path, const std::string& method = "GET") {
  http::http_request req;
  req.method = method;
  req.path = path;
  req.target = path;
  return req;
}

std::string header(const http::http_response& res, const std::string& name) {
  auto found = std::find_if(res.headers.begin(), res.headers.end(),
                            [&](auto& h) { return h.first == name; });
  return found == res.headers.end() ? std::string{} : found->second;
}

} // namespace

TEST_CASE("console: /ui and what is under /ui/ are the console's paths, nothing else") {
  CHECK(is_console_path("/ui"));
  CHECK(is_console_path("/ui/"));
  CHECK(is_console_path("/ui/js/app.js"));
  CHECK_FALSE(is_console_path("/uix"));
  CHECK_FALSE(is_console_path("/v1/ui/"));
  CHECK_FALSE(is_console_path("/"));
}

TEST_CASE("console: /ui redirects to /ui/, which answers index.html as HTML") {
  auto moved = console_response(get("/ui"), files);
  CHECK(moved.status == 308);
  CHECK(header(moved, "Location") == "/ui/");
  auto index = console_response(get("/ui/"), files);
  CHECK(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  CHECK(index.body == "<!doctype html><title>console</title>");
}

TEST_CASE("console: a file answers with its type, no-cache and a policy that runs only the "
          "manager's own scripts") {
  auto js = console_response(get("/ui/js/app.js"), files);
  CHECK(js.status == 200);
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(header(js, "Cache-Control") == "no-cache");
  CHECK(header(js, "X-Content-Type-Options") == "nosniff");
  auto csp = header(js, "Content-Security-Policy");
  CHECK(csp.find("script-src 'self';") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(console_response(get("/ui/style.css"), files).content_type == "text/css; charset=utf-8");
  CHECK(console_content_type("logo.svg") == "image/svg+xml");
}

TEST_CASE("console: an unknown file, a climb out of ui/ and a method other than GET are "
          "refused") {
  CHECK(console_response(get("/ui/nothing.js"), files).status == 404);
  CHECK(console_response(get("/ui/../docs/openapi.json"), files).status == 404);
  CHECK(console_response(get("/ui/js/../index.html"), files).status == 404);
  CHECK(console_response(get("/ui/%2e%2e/etc/passwd"), files).status == 404);
  auto post = console_response(get("/ui/index.html", "POST"), files);
  CHECK(post.status == 405);
  CHECK(header(post, "Allow") == "GET, HEAD");
}

TEST_CASE("console: the built-in table holds the console's page and scripts") {
  auto& built_in = console_files();
  auto has = [&](const char* path) {
    return std::any_of(built_in.begin(), built_in.end(),
                       [&](const embedded_file& f) { return f.path == path; });
  };
  CHECK(has("index.html"));
  CHECK(has("js/app.js"));
  CHECK(has("style.css"));
}
