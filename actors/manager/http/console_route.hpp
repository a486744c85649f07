#pragma once

/// The web console at /ui/: the manager answers its built-in files (console_files.hpp) ahead of
/// the API's routes, with no authentication (the page signs in with a token of its own and
/// calls the API like any client). A file is found by its exact path in the table, so no path
/// reaches the file system and none can climb out of ui/.

#include <string>
#include <string_view>
#include <vector>

#include "actors/manager/http/console_files.hpp"
#include "runtime/http/http_message.hpp"

namespace baikal {

/// Whether `path` is the console's: "/ui" or under "/ui/".
bool is_console_path(const std::string& path);

/// The Content-Type of a console file, from its name's extension.
std::string console_content_type(std::string_view path);

/// The answer to `req` (a console path) from `files`: the file with its type, caching and
/// security headers; "/ui" redirects to "/ui/", which is index.html; 404 for a file not in the
/// table, 405 for a method other than GET and HEAD.
http::http_response console_response(const http::http_request& req,
                                     const std::vector<embedded_file>& files = console_files());

} // namespace baikal
