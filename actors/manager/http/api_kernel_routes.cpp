#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_handlers.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/json/api_json.hpp"

namespace baikal::handlers {

namespace {

http::http_response json_ok(std::string body) {
  return http::json_response(200, std::move(body));
}

http::http_response status_ok(const ack&) {
  return json_ok(R"({"status":"ok"})");
}

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

} // namespace

void execute(const call_ptr& call) {
  auto req = parse_execute(call->req.body, limits_of(call));
  if (!req)
    return call->fail(req.error());
  auto run = std::move(*req);
  ask_main_kernel<execution_result>(
      call, call->ctx->settings.agent_timeout,
      [run](const kernel_route& route) {
        auto x = run;
        x.session = route.session;
        x.kernel = route.kernel;
        return x;
      },
      [](const execution_result& res) { return json_ok(json::execution_json(res)); });
}

void interrupt(const call_ptr& call) {
  ask_main_kernel<ack>(
      call, call->ctx->settings.agent_timeout,
      [](const kernel_route& route) { return op::interrupt_kernel{route.kernel}; }, status_ok);
}

void complete(const call_ptr& call) {
  auto req = parse_completion(call->req.body, limits_of(call));
  if (!req)
    return call->fail(req.error());
  auto x = std::move(*req);
  ask_main_kernel<completion_result>(
      call, call->ctx->settings.agent_timeout,
      [x](const kernel_route& route) {
        auto y = x;
        y.kernel = route.kernel;
        return y;
      },
      [](const completion_result& res) { return json_ok(json::completion_json(res)); });
}

void restart(const call_ptr& call) {
  // The creation config lives in the session as the scheduler bound it: read the session,
  // find its main kernel, and ask that kernel's agent to restart it with the same config.
  auto& ctx = *call->ctx;
  auto manager = ctx.manager;
  auto mlimit = ctx.settings.manager_timeout;
  auto limit = ctx.settings.long_timeout;
  auto owner = call->user.uuid;
  auto id = call->param("id");
  ctx.sys.spawn([=](caf::event_based_actor* self) {
    answer_call_on_exception(self, call);
    self->request(manager, mlimit, api::get_session{owner, id})
        .then(
            [=](session_record& rec) {
              self->request(manager, mlimit, api::main_kernel{owner, id})
                  .then(
                      [=](kernel_route& route) {
                        auto cfg = restart_config_of(rec, route.kernel, call->ctx->settings.images);
                        if (!cfg)
                          return call->fail(cfg.error());
                        op::restart_kernel x{route.kernel, route.session, image_ref{},
                                             std::move(*cfg)};
                        self->request(route.handle, limit, std::move(x))
                            .then(
                                [=](kernel_info& info) { call->ok(json::kernel_info_json(info)); },
                                [=](caf::error& err) { call->fail(err); });
                      },
                      [=](caf::error& err) { call->fail(err); });
            },
            [=](caf::error& err) { call->fail(err); });
  });
}

void logs(const call_ptr& call) {
  ask_main_kernel<kernel_logs>(
      call, call->ctx->settings.agent_timeout,
      [](const kernel_route& route) { return op::get_logs{route.kernel}; },
      [](const kernel_logs& res) { return json_ok(json::logs_json(res)); });
}

void upload_file(const call_ptr& call) {
  auto path = path_param(call);
  if (!path)
    return call->fail(path.error());
  auto name = std::move(*path);
  auto data = call->req.body;
  ask_main_kernel<ack>(
      call, call->ctx->settings.agent_timeout,
      [name, data](const kernel_route& route) {
        return op::accept_file{route.kernel, name, data};
      },
      status_ok);
}

void list_files(const call_ptr& call) {
  auto checked = parse_path_param(call->req.query, ".", limits_of(call));
  if (!checked)
    return call->fail(checked.error());
  auto path = std::move(*checked);
  ask_main_kernel<file_listing>(
      call, call->ctx->settings.agent_timeout,
      [path](const kernel_route& route) {
        return op::list_files{route.kernel, path};
      },
      [](const file_listing& res) { return json_ok(json::file_listing_json(res)); });
}

void download(const call_ptr& call) {
  auto path = path_param(call);
  if (!path)
    return call->fail(path.error());
  auto name = std::move(*path);
  ask_main_kernel<file_bytes>(
      call, call->ctx->settings.agent_timeout,
      [name](const kernel_route& route) {
        return op::download_file{route.kernel, name};
      },
      [](const file_bytes& res) {
        return http::http_response{200, "application/x-tar", res.data, {}};
      });
}

void download_single(const call_ptr& call) {
  auto path = path_param(call);
  if (!path)
    return call->fail(path.error());
  auto name = std::move(*path);
  ask_main_kernel<file_bytes>(
      call, call->ctx->settings.agent_timeout,
      [name](const kernel_route& route) {
        return op::download_single{route.kernel, name};
      },
      [](const file_bytes& res) {
        return http::http_response{200, "application/octet-stream", res.data, {}};
      });
}

void start_service(const call_ptr& call) {
  auto req = parse_start_service(call->req.body, limits_of(call));
  if (!req)
    return call->fail(req.error());
  auto service = service_param(call);
  if (!service)
    return call->fail(service.error());
  auto x = std::move(*req);
  x.service = std::move(*service);
  ask_main_kernel<service_result>(
      call, call->ctx->settings.agent_timeout,
      [x](const kernel_route& route) {
        auto y = x;
        y.kernel = route.kernel;
        return y;
      },
      [](const service_result& res) { return json_ok(json::service_json(res)); });
}

void shutdown_service(const call_ptr& call) {
  auto service = service_param(call);
  if (!service)
    return call->fail(service.error());
  auto name = std::move(*service);
  ask_main_kernel<ack>(
      call, call->ctx->settings.agent_timeout,
      [name](const kernel_route& route) {
        return op::shutdown_service{route.kernel, name};
      },
      status_ok);
}

void commit(const call_ptr& call) {
  auto req = parse_commit(call->req.body, limits_of(call));
  if (!req)
    return call->fail(req.error());
  auto x = std::move(*req);
  x.subdir = commit_subdir(call);
  ask_main_kernel<ack>(
      call, call->ctx->settings.long_timeout,
      [x](const kernel_route& route) {
        auto y = x;
        y.kernel = route.kernel;
        return y;
      },
      [](const ack&) { return json_ok(R"({"status":"committed"})"); });
}

void commit_status(const call_ptr& call) {
  auto subdir = commit_subdir(call);
  ask_main_kernel<commit_state>(
      call, call->ctx->settings.agent_timeout,
      [subdir](const kernel_route& route) {
        return op::get_commit_status{route.kernel, subdir};
      },
      [](const commit_state& st) { return json_ok(json::commit_state_json(st)); });
}

} // namespace baikal::handlers
