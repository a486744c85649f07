#include "actors/manager/http/console_route.hpp"

#include <algorithm>
#include <utility>

namespace baikal {

namespace {

constexpr std::string_view prefix = "/ui/";

/// Scripts and styles only from the manager itself, so that a string injected into the page
/// cannot run. Styles also allow inline ones: xterm.js sets its colours in a <style> element
/// it makes. connect-src 'self' covers the API's fetches and its WebSockets (ws: and wss: of
/// the same host).
constexpr const char* content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

http::http_response text_answer(int status, std::string text) {
  return http::http_response{status, "text/plain; charset=utf-8", std::move(text), {}};
}

} // namespace

bool is_console_path(const std::string& path) {
  return path == "/ui" || path.compare(0, prefix.size(), prefix) == 0;
}

std::string console_content_type(std::string_view path) {
  static const std::pair<std::string_view, const char*> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
  };
  for (auto& [ext, type] : types)
    if (ends_with(path, ext))
      return type;
  return "text/plain; charset=utf-8";
}

http::http_response console_response(const http::http_request& req,
                                     const std::vector<embedded_file>& files) {
  if (req.method != "GET" && req.method != "HEAD") {
    auto answer = text_answer(405, "the console's files take GET and HEAD\n");
    answer.headers.emplace_back("Allow", "GET, HEAD");
    return answer;
  }
  if (req.path == "/ui") {
    auto answer = text_answer(308, "the console is at /ui/\n");
    answer.headers.emplace_back("Location", "/ui/");
    return answer;
  }
  auto name = req.path.substr(prefix.size());
  if (name.empty())
    name = "index.html";
  auto found = std::find_if(files.begin(), files.end(),
                            [&](const embedded_file& f) { return f.path == name; });
  if (found == files.end())
    return text_answer(404, "the console has no file " + name + "\n");
  http::http_response answer{200, console_content_type(name), std::string{found->text}, {}};
  // The files change with the manager's binary: the browser asks again each time it loads.
  answer.headers.emplace_back("Cache-Control", "no-cache");
  answer.headers.emplace_back("Content-Security-Policy", content_security_policy);
  answer.headers.emplace_back("X-Content-Type-Options", "nosniff");
  answer.headers.emplace_back("Referrer-Policy", "no-referrer");
  return answer;
}

} // namespace baikal
