#include "runtime/docker/retry_policy.hpp"

#include <string_view>

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace baikal::docker {

namespace {

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool starts_with(std::string_view text, std::string_view head) {
  return text.substr(0, head.size()) == head;
}

/// The POSTs that may run twice (see is_idempotent); `path` is the target without its query.
bool is_idempotent_post(std::string_view path, std::string_view query) {
  if (path == "/containers/create")
    return query.find("name=") != std::string_view::npos; // a second one answers 409
  if (starts_with(path, "/containers/"))
    return ends_with(path, "/start") || ends_with(path, "/stop") || ends_with(path, "/kill") ||
           ends_with(path, "/wait");
  if (path == "/images/create")
    return query.find("fromImage=") != std::string_view::npos; // a pull, not an import
  if (starts_with(path, "/images/"))
    return ends_with(path, "/tag") || ends_with(path, "/push");
  if (path == "/networks/create") // always sent with CheckDuplicate: a second one answers 409
    return true;
  if (starts_with(path, "/exec/"))
    return ends_with(path, "/resize");
  return path == "/auth";
}

} // namespace

bool is_dropped_connection(const boost::system::error_code& ec) {
  namespace errc = boost::asio::error;
  return ec == boost::beast::http::error::end_of_stream || ec == errc::eof ||
         ec == errc::broken_pipe || ec == errc::connection_reset ||
         ec == errc::connection_aborted || ec == errc::not_connected;
}

bool is_idempotent(const docker_call& call) {
  auto& m = call.method;
  if (m == "GET" || m == "HEAD" || m == "PUT" || m == "DELETE")
    return true;
  if (m != "POST")
    return false;
  std::string_view target{call.target};
  auto q = target.find('?');
  auto path = target.substr(0, q);
  auto query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  return is_idempotent_post(path, query);
}

bool retry_on_fresh_connection(const docker_call& call, const attempt_result& first) {
  // A fresh connection that fails means the engine itself is failing: no second try.
  if (!first.pooled || first.header_read || !is_dropped_connection(first.ec))
    return false;
  // A request the engine never received whole cannot have been acted on.
  if (!first.request_written)
    return true;
  return is_idempotent(call);
}

} // namespace baikal::docker
