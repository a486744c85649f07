#include "actors/manager/http/api_call.hpp"

#include "messages/errors.hpp"
#include "runtime/json/api_json.hpp"

namespace baikal {

void api_call::reply(http::http_response res) const {
  ctx->counters.count(route, res.status);
  responder.send(std::move(res));
}

void api_call::fail(const caf::error& err) const {
  reply(error_response(err));
}

void api_call::ok(std::string json) const {
  reply(http::json_response(200, std::move(json)));
}

std::string api_call::param(const std::string& name) const {
  auto i = params.find(name);
  return i == params.end() ? std::string{} : i->second;
}

std::string api_call::query(const std::string& name) const {
  auto i = req.query.find(name);
  return i == req.query.end() ? std::string{} : i->second;
}

http::http_response error_response(const caf::error& err) {
  auto code = code_of(err);
  // The agent spec's RuntimeError for a path that names nothing is, to an HTTP client, a 404.
  if (code == errc::runtime_error && detail_of(err) == error_detail::missing_path)
    code = errc::not_found;
  return http::json_response(http_status_of(code),
                             json::error_body(to_string(code), message_of(err)));
}

http::http_response error_response(int status, const std::string& code,
                                   const std::string& message) {
  return http::json_response(status, json::error_body(code, message));
}

} // namespace baikal
