#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_handlers.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/http/api_route_entry.hpp"
#include "actors/manager/http/download_stream.hpp"
#include "actors/manager/http/kernel_activity.hpp"
#include "actors/manager/http/log_follower.hpp"
#include "actors/manager/http/upload_stream.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/json/api_json.hpp"

/// The routes that ask a session's main kernel one agent operation: each is a row of the
/// table at the end, naming how its operation is read from the request and how the answer is
/// written; kernel_call does the rest. Adding such a route is a reader, maybe a renderer, and
/// a row. The upload and download-single routes move files in chunks instead, each through an
/// actor of its own (upload_stream.hpp, download_stream.hpp).

namespace baikal::handlers {

namespace {

// -- shared pieces ------------------------------------------------------------------------------

const api_limits& limits_of(const call_ptr& call) {
  return call->ctx->settings.limits;
}

/// The `path` query parameter, which the file routes need.
caf::expected<std::string> path_param(const call_ptr& call) {
  return parse_path_param(call->req.query, "", limits_of(call));
}

/// The service name of the services routes.
caf::expected<std::string> service_param(const call_ptr& call) {
  auto name = call->param("name");
  if (auto err = checks::check_name("the service name", name, limits_of(call).max_name_length))
    return err;
  return name;
}

/// The subdirectory of the agent's commit path for the caller's commits.
std::string commit_subdir(const call_ptr& call) {
  return call->user.name;
}

/// Sets the operation's session, for the operations that carry one.
template <class Op>
auto aim_session(Op& x, const kernel_route& route, int)
    -> decltype(x.session = route.session, void()) {
  x.session = route.session;
}
template <class Op> void aim_session(Op&, const kernel_route&, long) {}

/// `x` pointed at the route's kernel.
template <class Op> Op aimed(Op x, const kernel_route& route) {
  x.kernel = route.kernel;
  aim_session(x, route, 0);
  return x;
}

/// Reads the operation from the request (a 400 naming the field when it is wrong), asks the
/// session's main kernel, and answers with Render of the result. Long operations (a commit)
/// get the long deadline.
template <class Op, class Result, caf::expected<Op> (*Read)(const call_ptr&),
          http::http_response (*Render)(const Result&), bool Long = false>
void kernel_call(const call_ptr& call) {
  auto op = Read(call);
  if (!op)
    return call->fail(op.error());
  auto& settings = call->ctx->settings;
  ask_main_kernel<Result>(
      call, Long ? settings.long_timeout : settings.agent_timeout,
      [x = std::move(*op)](const kernel_route& route) { return aimed(x, route); }, Render,
      is_activity<Op>());
}

// -- readers ------------------------------------------------------------------------------------

caf::expected<op::execute> read_execute(const call_ptr& call) {
  return parse_execute(call->req.body, limits_of(call));
}

caf::expected<op::interrupt_kernel> read_interrupt(const call_ptr&) {
  return op::interrupt_kernel{};
}

caf::expected<op::get_completions> read_completion(const call_ptr& call) {
  return parse_completion(call->req.body, limits_of(call));
}

caf::expected<op::get_logs> read_logs(const call_ptr&) {
  return op::get_logs{};
}

/// The body goes to the kernel in chunks as it arrives (upload_stream.hpp).
void upload_file(const call_ptr& call) {
  auto path = path_param(call);
  if (!path)
    return call->fail(path.error());
  spawn_upload_stream(call, std::move(*path));
}

/// The file comes from the kernel in chunks (download_stream.hpp).
void download_single(const call_ptr& call) {
  auto path = path_param(call);
  if (!path)
    return call->fail(path.error());
  spawn_download_stream(call, std::move(*path));
}

caf::expected<op::list_files> read_listing(const call_ptr& call) {
  auto path = parse_path_param(call->req.query, ".", limits_of(call));
  if (!path)
    return path.error();
  return op::list_files{{}, std::move(*path)};
}

template <class Op> caf::expected<Op> read_file_path(const call_ptr& call) {
  auto path = path_param(call);
  if (!path)
    return path.error();
  return Op{{}, std::move(*path)};
}

caf::expected<op::start_service> read_start_service(const call_ptr& call) {
  auto req = parse_start_service(call->req.body, limits_of(call));
  if (!req)
    return req.error();
  auto service = service_param(call);
  if (!service)
    return service.error();
  req->service = std::move(*service);
  return req;
}

caf::expected<op::shutdown_service> read_shutdown_service(const call_ptr& call) {
  auto service = service_param(call);
  if (!service)
    return service.error();
  return op::shutdown_service{{}, std::move(*service)};
}

caf::expected<op::commit> read_commit(const call_ptr& call) {
  auto req = parse_commit(call->req.body, limits_of(call));
  if (!req)
    return req.error();
  req->subdir = commit_subdir(call);
  return req;
}

caf::expected<op::get_commit_status> read_commit_status(const call_ptr& call) {
  return op::get_commit_status{{}, commit_subdir(call)};
}

// -- renderers ----------------------------------------------------------------------------------

http::http_response json_ok(std::string body) {
  return http::json_response(200, std::move(body));
}

http::http_response status_ok(const ack&) {
  return json_ok(R"({"status":"ok"})");
}

http::http_response committed(const ack&) {
  return json_ok(R"({"status":"committed"})");
}

http::http_response execution_answer(const execution_result& res) {
  return json_ok(json::execution_json(res));
}

http::http_response completion_answer(const completion_result& res) {
  return json_ok(json::completion_json(res));
}

http::http_response logs_answer(const kernel_logs& res) {
  return json_ok(json::logs_json(res));
}

/// An ended batch session's kernels are gone: its logs are the output the store kept. Any
/// other session's are its main kernel's.
void session_logs(const call_ptr& call) {
  auto follow = parse_follow(call->req.query);
  if (!follow)
    return call->fail(follow.error());
  if (*follow)
    return spawn_log_follower(call);
  auto& ctx = *call->ctx;
  auto manager = ctx.manager;
  ctx.sys.spawn([=](caf::event_based_actor* self) {
    answer_call_on_exception(self, call);
    self->request(manager, call->ctx->settings.manager_timeout,
                  api::batch_output{call->user.uuid, call->param("id")})
        .then(
            [=](batch_output_answer& res) {
              if (res.ended_batch)
                return call->reply(logs_answer(kernel_logs{std::move(res.output)}));
              kernel_call<op::get_logs, kernel_logs, read_logs, logs_answer>(call);
            },
            [=](caf::error& err) { call->fail(err); });
  });
}

http::http_response listing_answer(const file_listing& res) {
  return json_ok(json::file_listing_json(res));
}

http::http_response tar_answer(const file_bytes& res) {
  return http::http_response{200, "application/x-tar", res.data, {}};
}

http::http_response service_answer(const service_result& res) {
  return json_ok(json::service_json(res));
}

http::http_response commit_state_answer(const commit_state& st) {
  return json_ok(json::commit_state_json(st));
}

} // namespace

void restart(const call_ptr& call) {
  // Through the session actor, which recreates the kernel with the launcher's creation config.
  ask_and_reply<kernel_info>(
      call, call->ctx->manager, call->ctx->settings.long_timeout,
      api::restart_session{call->user.uuid, call->param("id")},
      [](const kernel_info& info) { return json_ok(json::kernel_info_json(info)); });
}

} // namespace baikal::handlers

namespace baikal {

const std::vector<route_entry>& kernel_route_entries() {
  using namespace handlers;
  constexpr auto none = body_kind::none;
  constexpr auto json = body_kind::json;
  static const std::vector<route_entry> rows{
      {"POST",
       "/v1/sessions/{id}/execute",
       kernel_call<op::execute, execution_result, read_execute, execution_answer>,
       false,
       json,
       {}},
      {"POST",
       "/v1/sessions/{id}/interrupt",
       kernel_call<op::interrupt_kernel, ack, read_interrupt, status_ok>,
       false,
       none,
       {}},
      {"POST",
       "/v1/sessions/{id}/complete",
       kernel_call<op::get_completions, completion_result, read_completion, completion_answer>,
       false,
       json,
       {}},
      {"POST", "/v1/sessions/{id}/restart", restart, false, none, {}},
      {"GET", "/v1/sessions/{id}/logs", session_logs, false, none, {"follow"}},
      {"PUT", "/v1/sessions/{id}/files", upload_file, false, body_kind::stream, {"path"}},
      {"GET",
       "/v1/sessions/{id}/files",
       kernel_call<op::list_files, file_listing, read_listing, listing_answer>,
       false,
       none,
       {"path"}},
      {"GET",
       "/v1/sessions/{id}/download",
       kernel_call<op::download_file, file_bytes, read_file_path<op::download_file>, tar_answer>,
       false,
       none,
       {"path"}},
      {"GET", "/v1/sessions/{id}/download-single", download_single, false, none, {"path"}},
      {"POST",
       "/v1/sessions/{id}/services/{name}",
       kernel_call<op::start_service, service_result, read_start_service, service_answer>,
       false,
       json,
       {}},
      {"DELETE",
       "/v1/sessions/{id}/services/{name}",
       kernel_call<op::shutdown_service, ack, read_shutdown_service, status_ok>,
       false,
       none,
       {}},
      {"POST",
       "/v1/sessions/{id}/commit",
       kernel_call<op::commit, ack, read_commit, committed, true>,
       false,
       json,
       {}},
      {"GET",
       "/v1/sessions/{id}/commit",
       kernel_call<op::get_commit_status, commit_state, read_commit_status, commit_state_answer>,
       false,
       none,
       {}},
  };
  return rows;
}

} // namespace baikal
